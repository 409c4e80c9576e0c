import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';

export type Role = 'owner' | 'admin' | 'member' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'admin', 'member', 'viewer'];
export type Scope = 'ingest' | 'read';
export const SCOPES: readonly Scope[] = ['ingest', 'read'];

/** A dashboard user, with their role in each organization they belong to. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  email: string;
  roles: Map<string, Role>;
}

/** An API key: one organization, some scopes, optionally limited to some websites. */
export interface KeyPrincipal {
  kind: 'key';
  keyId: string;
  organizationId: string;
  scopes: ReadonlySet<Scope>;
  /** null: every website of the organization. */
  websiteIds: readonly string[] | null;
}

/**
 * A shared link's session: reads the statistics of one website and nothing else. Only routes
 * marked @AllowSharedLink admit it; the services check the website as for any principal.
 */
export interface SharePrincipal {
  kind: 'share';
  linkId: string;
  organizationId: string;
  websiteId: string;
}

/** What an account holds: a user's access token or an API key (ingestion accepts only these). */
export type AccountPrincipal = UserPrincipal | KeyPrincipal;

/** The one principal type every service receives. */
export type Principal = AccountPrincipal | SharePrincipal;

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** Which role an action needs: viewers read, members manage websites, admins keys, links and members. */
export type Action = 'read' | 'manage_websites' | 'manage_keys' | 'manage_shared_links' | 'manage_members' | 'manage_data';
const NEEDS: Record<Action, Role> = {
  read: 'viewer',
  manage_websites: 'member',
  manage_keys: 'admin',
  // A link opens a website's statistics to anyone holding it, as a read key would.
  manage_shared_links: 'admin',
  manage_members: 'admin',
  // Erasing or exporting visitors' data.
  manage_data: 'admin',
};

export function organizationIds(p: Principal): string[] {
  return p.kind === 'user' ? [...p.roles.keys()] : [p.organizationId];
}

/**
 * Asserts that the principal may perform `action` in the organization. Outsiders get 404 (the
 * resource's existence is not confirmed); insiders with too small a role get 403.
 */
export function assertCan(p: Principal, organizationId: string, action: Action, what = 'Resource'): void {
  if (p.kind === 'key') {
    if (p.organizationId !== organizationId) throw new NotFoundException(`${what} not found`);
    if (action !== 'read' || !p.scopes.has('read')) throw new ForbiddenException('This API key may not perform this action');
    return;
  }
  if (p.kind === 'share') {
    if (p.organizationId !== organizationId) throw new NotFoundException(`${what} not found`);
    if (action !== 'read') throw new ForbiddenException('A shared link only reads statistics');
    return;
  }
  const role = p.roles.get(organizationId);
  if (!role) throw new NotFoundException(`${what} not found`);
  if (RANK[role] < RANK[NEEDS[action]]) {
    throw new ForbiddenException(`Your role (${role}) may not perform this action; it needs ${NEEDS[action]} or above`);
  }
}

/**
 * Whether the principal's reach includes the website (its organization aside): a key limited to
 * some websites, a shared link to its one. Outside it, a key gets 403 and a link 404: a link's
 * holder is no member and learns nothing of the organization's other websites.
 */
export function reachesWebsite(p: Principal, websiteId: string): boolean {
  if (p.kind === 'key') return !p.websiteIds || p.websiteIds.includes(websiteId);
  if (p.kind === 'share') return p.websiteId === websiteId;
  return true;
}

export function outOfReach(p: Principal): Error {
  return p.kind === 'share' ? new NotFoundException('Website not found') : new ForbiddenException('This API key is not allowed for this website');
}

export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

/** The organization a create call targets: the one given, or the caller's only one. */
export function targetOrganization(p: Principal, organizationId: string | undefined): string {
  if (organizationId) return organizationId;
  if (p.kind !== 'user') return p.organizationId;
  const ids = [...p.roles.keys()];
  if (ids.length === 1) return ids[0];
  throw new BadRequestException(
    ids.length === 0 ? 'You belong to no organization; create one first' : 'organization_id is required when you belong to several organizations',
  );
}
