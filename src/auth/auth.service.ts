import { ConflictException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { TooManyRequestsException } from '../common/http-errors';
import { hashPassword, verifyPassword } from './password';
import { LoginThrottle } from './login-throttle';
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
    private readonly throttle: LoginThrottle,
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

  /** Every attempt is reserved before the password is checked (see LoginThrottle); past a limit, 429. */
  async login(dto: LoginDto, ip: string): Promise<TokenResponseDto> {
    const admission = await this.throttle.admit(dto.email, ip);
    if (!admission.admitted) {
      throw new TooManyRequestsException(`Too many failed login attempts; try again in ${admission.retryAfter} seconds`, admission.retryAfter);
    }
    const user = await this.tenancy.findUserByEmail(dto.email.trim());
    if (!(await verifyPassword(user?.password_hash ?? null, dto.password)) || !user) {
      await this.throttle.failed(admission.ticket);
      throw new UnauthorizedException('Invalid email or password');
    }
    await this.throttle.succeeded(admission.ticket);
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
