import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { OrganizationsController } from './organizations.controller';
import { OrganizationsService } from './organizations.service';
import { PrincipalResolver } from './principal.resolver';
import { ShareSessionController } from './share-session.controller';
import { ShareSessionService } from './share-session.service';
import { TenancyRepository } from './users.repository';
import { SharedLinksModule } from '../shared-links/shared-links.module';

@Module({
  imports: [
    ApiKeysModule,
    SharedLinksModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256', expiresIn: config.jwtExpiresIn },
      }),
    }),
  ],
  controllers: [AuthController, OrganizationsController, ShareSessionController],
  providers: [
    TenancyRepository,
    AuthService,
    LoginThrottle,
    OrganizationsService,
    PrincipalResolver,
    ShareSessionService,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [PrincipalResolver, TenancyRepository],
})
export class AuthModule {}
