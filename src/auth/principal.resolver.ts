import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiKeyVerifier } from '../api-keys/api-key-verifier';
import { looksLikeApiKey } from '../api-keys/api-key-secret';
import { SharedLinkVerifier } from '../shared-links/shared-link-verifier';
import { AccountPrincipal, Principal, SharePrincipal, UserPrincipal } from './principal';
import { TenancyRepository } from './users.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessTokenClaims {
  sub: string;
  email: string;
}

/** A shared link's session: the link (sub) of a website (wid). `typ` keeps it apart from a user's token. */
interface ShareTokenClaims {
  typ: 'share';
  sub: string;
  wid: string;
}

/** Reads "Authorization: Bearer <token>"; null when absent or not a bearer token. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return m ? m[1] : null;
}

/** The single place a bearer token (API key, access token, shared link session) becomes a Principal. */
@Injectable()
export class PrincipalResolver {
  constructor(
    private readonly jwt: JwtService,
    private readonly keys: ApiKeyVerifier,
    private readonly tenancy: TenancyRepository,
    private readonly sharedLinks: SharedLinkVerifier,
  ) {}

  /** An account's credential: a user's access token or an API key (a shared link's session is null here). */
  async resolve(token: string | null): Promise<AccountPrincipal | null> {
    const p = await this.resolveAny(token, false);
    return p?.kind === 'share' ? null : p;
  }

  /** Any credential, a shared link's session included: for the guard, which admits it on the routes marked for it. */
  resolveWithSharedLinks(token: string | null): Promise<Principal | null> {
    return this.resolveAny(token, true);
  }

  sign(userId: string, email: string): Promise<string> {
    return this.jwt.signAsync({ sub: userId, email } satisfies AccessTokenClaims);
  }

  signSharedLinkSession(websiteId: string, linkId: string, expiresInSeconds: number): Promise<string> {
    return this.jwt.signAsync({ typ: 'share', sub: linkId, wid: websiteId } satisfies ShareTokenClaims, { expiresIn: expiresInSeconds });
  }

  private async resolveAny(token: string | null, sharedLinks: boolean): Promise<Principal | null> {
    if (!token) return null;
    if (looksLikeApiKey(token)) return this.keys.verify(token);
    let claims: Partial<AccessTokenClaims & ShareTokenClaims>;
    try {
      claims = await this.jwt.verifyAsync(token, { algorithms: ['HS256'] });
    } catch {
      return null;
    }
    if (claims.typ !== undefined) return sharedLinks ? this.sharePrincipal(claims) : null;
    return this.userPrincipal(claims);
  }

  private async userPrincipal(claims: Partial<AccessTokenClaims>): Promise<UserPrincipal | null> {
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) return null;
    // A database error is not a bad token: it propagates (503), never a 401 that logs users out.
    const user = await this.tenancy.findUserById(claims.sub);
    if (!user) return null;
    return { kind: 'user', userId: user.id, email: user.email, roles: await this.tenancy.rolesOf(user.id) };
  }

  /** Checked on every request: a deleted (revoked) link's sessions stop at once. */
  private async sharePrincipal(claims: Partial<ShareTokenClaims>): Promise<SharePrincipal | null> {
    if (claims.typ !== 'share' || typeof claims.sub !== 'string' || typeof claims.wid !== 'string') return null;
    return this.sharedLinks.principal(claims.wid, claims.sub);
  }
}
