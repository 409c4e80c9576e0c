import { Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { TooManyRequestsException } from '../common/http-errors';
import { OpenedLinkRow } from '../shared-links/shared-links.repository';
import { SharedLinkVerifier } from '../shared-links/shared-link-verifier';
import { ShareSessionDto, ShareSessionRequestDto } from './dto/share-session.dto';
import { LoginThrottle } from './login-throttle';
import { verifyPassword } from './password';
import { PrincipalResolver } from './principal.resolver';

/** A session is short-lived: the dashboard opens a new one when it expires. */
export const SHARE_SESSION_SECONDS = 3600;

/** Opens a shared link: its token (and password, if it has one) for an access token that reads one website. */
@Injectable()
export class ShareSessionService {
  constructor(
    private readonly links: SharedLinkVerifier,
    private readonly throttle: LoginThrottle,
    private readonly tokens: PrincipalResolver,
  ) {}

  async open(token: string, dto: ShareSessionRequestDto, ip: string): Promise<ShareSessionDto> {
    const link = await this.links.findByToken(token);
    if (!link) throw new NotFoundException('Shared link not found');
    if (link.password_hash !== null) await this.checkPassword(link, dto.password, ip);
    return {
      access_token: await this.tokens.signSharedLinkSession(link.website_id, link.id, SHARE_SESSION_SECONDS),
      expires_in: SHARE_SESSION_SECONDS,
      website: { id: link.website_id, name: link.name, domain: link.domain, timezone: link.timezone },
    };
  }

  /**
   * Guesses are throttled as logins are, per link and client IP (see LoginThrottle). A request
   * without a password guesses nothing: it is told the link needs one, and not counted.
   */
  private async checkPassword(link: OpenedLinkRow, password: string | null | undefined, ip: string): Promise<void> {
    if (password == null) throw new UnauthorizedException('This shared link needs its password');
    const admission = await this.throttle.admit(`shared-link:${link.website_id}/${link.id}`, ip);
    if (!admission.admitted) {
      throw new TooManyRequestsException(`Too many wrong passwords; try again in ${admission.retryAfter} seconds`, admission.retryAfter);
    }
    if (!(await verifyPassword(link.password_hash, password))) {
      await this.throttle.failed(admission.ticket);
      throw new UnauthorizedException('Wrong password for this shared link');
    }
    await this.throttle.succeeded(admission.ticket);
  }
}
