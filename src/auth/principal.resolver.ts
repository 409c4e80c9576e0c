import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiKeyVerifier } from '../api-keys/api-key-verifier';
import { looksLikeApiKey } from '../api-keys/api-key-secret';
import { Principal, UserPrincipal } from './principal';
import { TenancyRepository } from './users.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessTokenClaims {
  sub: string;
  email: string;
}

/** Reads "Authorization: Bearer <token>"; null when absent or not a bearer token. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return m ? m[1] : null;
}

/** The single place a bearer token (API key or access token) becomes a Principal. */
@Injectable()
export class PrincipalResolver {
  constructor(
    private readonly jwt: JwtService,
    private readonly keys: ApiKeyVerifier,
    private readonly tenancy: TenancyRepository,
  ) {}

  async resolve(token: string | null): Promise<Principal | null> {
    if (!token) return null;
    if (looksLikeApiKey(token)) return this.keys.verify(token);
    return this.resolveUser(token);
  }

  async resolveUser(token: string): Promise<UserPrincipal | null> {
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
    } catch {
      return null;
    }
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) return null;
    // A database error is not a bad token: it propagates (503), never a 401 that logs users out.
    const user = await this.tenancy.findUserById(claims.sub);
    if (!user) return null;
    return { kind: 'user', userId: user.id, email: user.email, roles: await this.tenancy.rolesOf(user.id) };
  }

  sign(userId: string, email: string): Promise<string> {
    return this.jwt.signAsync({ sub: userId, email } satisfies AccessTokenClaims);
  }
}
