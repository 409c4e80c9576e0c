import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Principal, Scope } from './principal';
import { bearerToken, PrincipalResolver } from './principal.resolver';

const PUBLIC = 'footfall:public';
const KEY_SCOPE = 'footfall:key-scope';
const SHARED_LINK = 'footfall:shared-link';

/** No authentication (health, signup, login, and ingestion routes that authenticate in their own dialect). */
export const Public = () => SetMetadata(PUBLIC, true);
/** Besides user access tokens, API keys holding this scope may call the route. */
export const AllowApiKey = (scope: Scope) => SetMetadata(KEY_SCOPE, scope);
/**
 * A shared link's session may call the route too: only the queries of a website, whose service
 * checks that it is the link's own. Every other route refuses it (403).
 */
export const AllowSharedLink = () => SetMetadata(SHARED_LINK, true);

/** The authenticated caller, set by AuthGuard. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest().principal;
});

/** Global guard: every route needs a user access token unless marked @Public, @AllowApiKey or @AllowSharedLink. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly resolver: PrincipalResolver,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest();
    const principal = await this.resolver.resolveWithSharedLinks(bearerToken(req.headers.authorization));
    if (!principal) throw new UnauthorizedException('Missing, invalid, revoked or expired credentials');
    if (principal.kind === 'key') {
      const scope = this.reflector.getAllAndOverride<Scope | undefined>(KEY_SCOPE, targets);
      if (!scope) throw new ForbiddenException('This route needs a user access token, not an API key');
      if (!principal.scopes.has(scope)) throw new ForbiddenException(`This API key lacks the "${scope}" scope`);
    }
    if (principal.kind === 'share' && !this.reflector.getAllAndOverride<boolean>(SHARED_LINK, targets)) {
      throw new ForbiddenException("A shared link only reads its website's statistics");
    }
    req.principal = principal;
    return true;
  }
}
