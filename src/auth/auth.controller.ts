import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { ApiNoAuth } from '../common/api-security';
import { ErrorResponseDto } from '../common/error-response.dto';
import { AuthService } from './auth.service';
import { CurrentPrincipal, Public } from './auth.guard';
import { UserPrincipal } from './principal';
import { LoginDto, MeResponseDto, SignupDto, SignupResponseDto, TokenResponseDto } from './dto/auth.dto';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('signup')
  @Public()
  @ApiNoAuth()
  @UseGuards(ThrottlerGuard)
  @Throttle({ default: { limit: 20, ttl: 60_000 } })
  @ApiOperation({ summary: 'Create an account and its first organization' })
  @ApiResponse({ status: 201, type: SignupResponseDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto, description: 'Invalid email; or a password shorter than 10 characters, only whitespace, one repeated character or a common one' })
  @ApiResponse({ status: 409, type: ErrorResponseDto, description: 'An account with this email exists' })
  @ApiResponse({ status: 429, type: ErrorResponseDto })
  signup(@Body() dto: SignupDto): Promise<SignupResponseDto> {
    return this.auth.signup(dto);
  }

  @Post('login')
  @Public()
  @ApiNoAuth()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for an access token' })
  @ApiResponse({ status: 200, type: TokenResponseDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  @ApiResponse({ status: 401, type: ErrorResponseDto, description: 'Invalid email or password' })
  @ApiResponse({ status: 429, type: ErrorResponseDto, description: 'Too many failed attempts for this email from this client IP (growing backoff), from this IP, or for this email from all IPs (Retry-After set)' })
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<TokenResponseDto> {
    return this.auth.login(dto, req.ip);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The current user and their organizations' })
  @ApiResponse({ status: 200, type: MeResponseDto })
  @ApiResponse({ status: 401, type: ErrorResponseDto })
  me(@CurrentPrincipal() p: UserPrincipal): Promise<MeResponseDto> {
    return this.auth.me(p);
  }
}
