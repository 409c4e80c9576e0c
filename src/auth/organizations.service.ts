import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { assertCan, Principal, Role, roleAtLeast, UserPrincipal } from './principal';
import { LockedMemberships, TenancyRepository } from './users.repository';
import { AddMemberDto, MemberDto } from './dto/organizations.dto';
import { OrganizationWithRoleDto } from './dto/auth.dto';

@Injectable()
export class OrganizationsService {
  constructor(private readonly tenancy: TenancyRepository) {}

  list(p: UserPrincipal): Promise<OrganizationWithRoleDto[]> {
    return this.tenancy.organizationsOf(p.userId);
  }

  /** The creator becomes the owner. */
  create(p: UserPrincipal, name: string): Promise<{ id: string; name: string }> {
    return this.tenancy.createOrganization(name.trim(), p.userId);
  }

  async listMembers(p: Principal, organizationId: string): Promise<MemberDto[]> {
    assertCan(p, organizationId, 'read', 'Organization');
    const rows = await this.tenancy.listMembers(organizationId);
    return rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() }));
  }

  /** Owners manage everyone; admins manage admins, members and viewers but never the owner role. */
  async addMember(p: Principal, organizationId: string, dto: AddMemberDto): Promise<MemberDto> {
    assertCan(p, organizationId, 'manage_members', 'Organization');
    const user = await this.tenancy.findUserByEmail(dto.email.trim());
    if (!user) throw new NotFoundException('No user with this email; they must sign up first');
    await this.tenancy.withLockedMemberships(organizationId, async (m) => {
      const current = await m.role(user.id);
      assertMayChange(await callerRole(p, m), current, dto.role);
      if (current === 'owner' && dto.role !== 'owner') await assertNotLastOwner(m);
      await m.upsert(user.id, dto.role);
    });
    const member = (await this.tenancy.listMembers(organizationId)).find((x) => x.user_id === user.id);
    // Removed again by a concurrent request between the commit and this read.
    if (!member) throw new NotFoundException('Member not found');
    return { ...member, created_at: member.created_at.toISOString() };
  }

  async removeMember(p: Principal, organizationId: string, userId: string): Promise<void> {
    assertCan(p, organizationId, 'manage_members', 'Organization');
    await this.tenancy.withLockedMemberships(organizationId, async (m) => {
      const caller = await callerRole(p, m);
      const role = await m.role(userId);
      if (!role) throw new NotFoundException('Member not found');
      assertMayChange(caller, role, null);
      if (role === 'owner') await assertNotLastOwner(m);
      await m.remove(userId);
    });
  }
}

/** The caller's role read again under the lock: a concurrent change may have demoted or removed them. */
async function callerRole(p: Principal, m: LockedMemberships): Promise<Role> {
  const role = p.kind === 'user' ? await m.role(p.userId) : null;
  if (!role) throw new NotFoundException('Organization not found');
  if (!roleAtLeast(role, 'admin')) throw new ForbiddenException(`Your role (${role}) may not perform this action; it needs admin or above`);
  return role;
}

/** Only an owner grants, changes or removes the owner role; nobody grants a role above their own. */
function assertMayChange(caller: Role, current: Role | null, next: Role | null): void {
  if ((current === 'owner' || next === 'owner') && caller !== 'owner') {
    throw new ForbiddenException('Only an owner may grant, change or remove the owner role');
  }
  if (next && !roleAtLeast(caller, next)) throw new ForbiddenException(`You may not grant a role above your own (${caller})`);
}

async function assertNotLastOwner(m: LockedMemberships): Promise<void> {
  if ((await m.countOwners()) <= 1) throw new BadRequestException('An organization must keep at least one owner');
}
