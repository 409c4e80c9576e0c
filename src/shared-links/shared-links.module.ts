import { Module } from '@nestjs/common';
import { WebsitesModule } from '../websites/websites.module';
import { SharedLinkVerifier } from './shared-link-verifier';
import { SharedLinksController } from './shared-links.controller';
import { SharedLinksRepository } from './shared-links.repository';
import { SharedLinksService } from './shared-links.service';

/** Read-only links to a website's dashboard; their sessions are opened and resolved by the auth module. */
@Module({
  imports: [WebsitesModule],
  controllers: [SharedLinksController],
  providers: [SharedLinksRepository, SharedLinksService, SharedLinkVerifier],
  exports: [SharedLinkVerifier],
})
export class SharedLinksModule {}
