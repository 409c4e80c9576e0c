import { Injectable, NotFoundException } from '@nestjs/common';
import { assertCan, Principal } from '../auth/principal';
import { hashPassword } from '../auth/password';
import { Invalidations } from '../cluster/invalidations';
import { newPublicId } from '../common/public-id';
import { WebsiteRow } from '../websites/websites.repository';
import { WebsitesService } from '../websites/websites.service';
import { CreateSharedLinkDto, SharedLinkDto } from './dto/shared-link.dto';
import { sharedLinkKey } from './shared-link-verifier';
import { SharedLinkRow, SharedLinksRepository } from './shared-links.repository';
import { newShareToken, sharePath } from './share-token';

function toDto(l: SharedLinkRow): SharedLinkDto {
  return { id: l.id, label: l.label, token: l.token, url: sharePath(l.token), has_password: l.password_hash !== null, created_at: l.created_at.toISOString() };
}

/** Read-only links to one website's dashboard: owners and admins create, list and revoke them. */
@Injectable()
export class SharedLinksService {
  constructor(
    private readonly websites: WebsitesService,
    private readonly links: SharedLinksRepository,
    private readonly invalidations: Invalidations,
  ) {}

  async create(p: Principal, websiteId: string, dto: CreateSharedLinkDto): Promise<SharedLinkDto> {
    const site = await this.manageable(p, websiteId);
    const row = await this.links.insert({
      website_id: site.id,
      id: newPublicId(),
      token: newShareToken(),
      label: dto.label ?? null,
      // null reads as absent, as in every optional field.
      password_hash: dto.password == null ? null : await hashPassword(dto.password),
      created_by: p.kind === 'user' ? p.userId : null,
    });
    if (!row) throw new NotFoundException('Website not found');
    return toDto(row);
  }

  async list(p: Principal, websiteId: string): Promise<SharedLinkDto[]> {
    const site = await this.manageable(p, websiteId);
    return (await this.links.list(site.id)).map(toDto);
  }

  async delete(p: Principal, websiteId: string, linkId: string): Promise<void> {
    const site = await this.manageable(p, websiteId);
    const deleted = linkId.length <= 64 && (await this.links.delete(site.id, linkId));
    if (!deleted) throw new NotFoundException('Shared link not found');
    // Every process forgets the link before the revocation is answered: its sessions stop at once.
    await this.invalidations.publish('shared-link', sharedLinkKey(site.id, linkId));
  }

  private async manageable(p: Principal, websiteId: string): Promise<WebsiteRow> {
    const site = await this.websites.getReadable(p, websiteId);
    assertCan(p, site.organization_id, 'manage_shared_links', 'Website');
    return site;
  }
}
