import { Module } from '@nestjs/common';
import { WebsitesModule } from '../websites/websites.module';
import { ApiKeyVerifier } from './api-key-verifier';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';

@Module({
  imports: [WebsitesModule],
  controllers: [ApiKeysController],
  providers: [ApiKeysRepository, ApiKeysService, ApiKeyVerifier],
  exports: [ApiKeyVerifier],
})
export class ApiKeysModule {}
