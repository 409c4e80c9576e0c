import { ConflictException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { RateLimiter } from '../common/rate-limit/rate-limiter';
import { TooManyRequestsException } from '../common/http-errors';
import { hashPassword, verifyPassword } from './password';
import { PrincipalResolver } from './principal.resolver';
import { UserPrincipal } from './principal';
import { TenancyRepository } from './users.repository';
import { LoginDto, MeResponseDto, SignupDto, SignupResponseDto, TokenResponseDto } from './dto/auth.dto';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class AuthService {
  constructor(
    private readonly tenancy: TenancyRepository,
    private readonly tokens: PrincipalResolver,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async signup(dto: SignupDto): Promise<SignupResponseDto> {
    const email = dto.email.trim();
    if (await this.tenancy.findUserByEmail(email)) throw new ConflictException('An account with this email already exists');
    const name = dto.name?.trim() || null;
    const orgName = dto.organization_name?.trim() || `${name ?? email.split('@')[0]}'s organization`;
    let created;
    try {
      created = await this.tenancy.createUserWithOrganization({ email, name, passwordHash: await hashPassword(dto.password) }, orgName);
    } catch (err) {
      // Two signups with one email at once: the unique index decides.
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw new ConflictException('An account with this email already exists');
      throw err;
    }
    const { user, organization } = created;
    return {
      user: { id: user.id, email: user.email, name: user.name },
      organization,
      ...(await this.issue(user.id, user.email)),
    };
  }

  /** Failed attempts are counted per email and per client IP; past the limit, 429 until the window ends. */
  async login(dto: LoginDto, ip: string): Promise<TokenResponseDto> {
    const { loginFailuresPerEmail, loginFailuresPerIp, loginWindowSeconds } = this.config.limits;
    const emailKey = `login-fail:email:${dto.email.trim().toLowerCase()}`;
    const ipKey = `login-fail:ip:${ip}`;
    for (const [key, limit] of [[emailKey, loginFailuresPerEmail], [ipKey, loginFailuresPerIp]] as const) {
      const d = await this.limiter.check(key, limit);
      if (!d.allowed) throw new TooManyRequestsException(`Too many failed login attempts; try again in ${d.retryAfter} seconds`, d.retryAfter);
    }
    const user = await this.tenancy.findUserByEmail(dto.email.trim());
    if (!(await verifyPassword(user?.password_hash ?? null, dto.password)) || !user) {
      const windowMs = loginWindowSeconds * 1000;
      await Promise.all([this.limiter.consume(emailKey, loginFailuresPerEmail, windowMs), this.limiter.consume(ipKey, loginFailuresPerIp, windowMs)]);
      throw new UnauthorizedException('Invalid email or password');
    }
    return this.issue(user.id, user.email);
  }

  async me(principal: UserPrincipal): Promise<MeResponseDto> {
    const user = await this.tenancy.findUserById(principal.userId);
    if (!user) throw new UnauthorizedException('Missing, invalid, revoked or expired credentials');
    return { id: user.id, email: user.email, name: user.name, organizations: await this.tenancy.organizationsOf(user.id) };
  }

  private async issue(userId: string, email: string): Promise<TokenResponseDto> {
    return { access_token: await this.tokens.sign(userId, email), token_type: 'Bearer', expires_in: this.config.jwtExpiresIn };
  }
}
