import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { assertCan, Principal } from '../auth/principal';
import { Invalidations } from '../cluster/invalidations';
import { WebsitesService } from '../websites/websites.service';
import { ShieldsDto } from './dto/shields.dto';
import { normalizeShields, NO_SHIELDS, Shields } from './shield-rules';
import { ShieldsRepository } from './shields.repository';

@Injectable()
export class ShieldsService {
  constructor(
    private readonly websites: WebsitesService,
    private readonly shields: ShieldsRepository,
    private readonly invalidations: Invalidations,
  ) {}

  async get(p: Principal, websiteId: string): Promise<Shields> {
    const site = await this.websites.getReadable(p, websiteId);
    return (await this.shields.find(site.id)) ?? NO_SHIELDS;
  }

  /** Replaces every list; like the website routes, members and above change shields, viewers and API keys only read. */
  async replace(p: Principal, websiteId: string, dto: ShieldsDto): Promise<Shields> {
    const site = await this.websites.getReadable(p, websiteId);
    assertCan(p, site.organization_id, 'manage_websites', 'Website');
    const normalized = normalizeShields(dto);
    if ('errors' in normalized) throw new BadRequestException(normalized.errors);
    if (!(await this.shields.replace(site.id, normalized.shields))) throw new NotFoundException('Website not found');
    // Every process forgets the website's cached shields before the change is answered.
    await this.invalidations.publish('website', site.id);
    return normalized.shields;
  }
}
