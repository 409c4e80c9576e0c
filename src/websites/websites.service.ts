import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { assertCan, organizationIds, outOfReach, Principal, reachesWebsite, targetOrganization } from '../auth/principal';
import { Invalidations } from '../cluster/invalidations';
import { CreateWebsiteDto, UpdateWebsiteDto, WebsiteDto } from './dto/website.dto';
import { newPublicId } from '../common/public-id';
import { isValidTimeZone, normalizeDomain } from './website-fields';
import { WebsiteRow, WebsitesRepository } from './websites.repository';
import { TimeZones } from './time-zones';

const UNIQUE_VIOLATION = '23505';

export function toWebsiteDto(w: WebsiteRow): WebsiteDto {
  return { ...w, created_at: w.created_at.toISOString() };
}

@Injectable()
export class WebsitesService {
  constructor(
    private readonly websites: WebsitesRepository,
    private readonly invalidations: Invalidations,
    private readonly zones: TimeZones,
  ) {}

  async create(p: Principal, dto: CreateWebsiteDto): Promise<WebsiteDto> {
    const organizationId = targetOrganization(p, dto.organization_id);
    assertCan(p, organizationId, 'manage_websites', 'Organization');
    const fields = await this.validFields(dto);
    for (let attempt = 0; ; attempt++) {
      try {
        const row = await this.websites.insert({
          id: newPublicId(),
          organization_id: organizationId,
          name: fields.name!,
          domain: fields.domain!,
          timezone: fields.timezone ?? 'UTC',
          public_collect: fields.public_collect ?? true,
          retention_days: fields.retention_days ?? null,
        });
        return toWebsiteDto(row);
      } catch (err) {
        // A random id collision is astronomically rare; retry rather than fail.
        if ((err as { code?: string }).code !== UNIQUE_VIOLATION || attempt >= 2) throw err;
      }
    }
  }

  async list(p: Principal): Promise<WebsiteDto[]> {
    const only = p.kind === 'key' ? p.websiteIds : p.kind === 'share' ? [p.websiteId] : null;
    return (await this.websites.listByOrganizations(organizationIds(p), only)).map(toWebsiteDto);
  }

  async get(p: Principal, id: string): Promise<WebsiteDto> {
    return toWebsiteDto(await this.getReadable(p, id));
  }

  async update(p: Principal, id: string, dto: UpdateWebsiteDto): Promise<WebsiteDto> {
    const site = await this.getFor(p, id, 'manage_websites');
    // The DTO refuses null for the other fields; this one's @IsOptional (shared with create) lets it by.
    if (dto.public_collect === null) throw new BadRequestException(['public_collect must be a boolean value']);
    const updated = await this.websites.update(site.id, await this.validFields(dto));
    // Ingestion on every process sees the change (e.g. public collection turned off) at once.
    await this.invalidations.publish('website', site.id);
    return toWebsiteDto(updated);
  }

  async delete(p: Principal, id: string): Promise<void> {
    const site = await this.getFor(p, id, 'manage_websites');
    await this.websites.delete(site.id);
    await this.invalidations.publish('website', site.id);
  }

  /**
   * The website if the principal may read it: another tenant's site is 404; a read key limited to
   * other websites of the same organization is 403; a shared link's other websites are 404.
   */
  async getReadable(p: Principal, id: string): Promise<WebsiteRow> {
    const site = await this.getFor(p, id, 'read');
    if (!reachesWebsite(p, site.id)) throw outOfReach(p);
    return site;
  }

  /**
   * The website a query dialect names by id or by domain: by domain, the one website of the
   * caller's organizations with that domain that the caller may read. Several are ambiguous (400);
   * one the caller's API key is not allowed for is 403, as by id.
   */
  async findReadableByIdOrDomain(p: Principal, idOrDomain: string): Promise<WebsiteRow> {
    const byId = idOrDomain.length <= 64 ? await this.websites.findById(idOrDomain) : null;
    if (byId) return this.getReadable(p, byId.id);
    const domain = normalizeDomain(idOrDomain);
    const candidates = domain ? (await this.websites.listByOrganizations(organizationIds(p), null)).filter((w) => w.domain === domain) : [];
    const readable = candidates.filter((w) => reachesWebsite(p, w.id));
    if (readable.length > 1) throw new BadRequestException(`${readable.length} of your websites have the domain ${domain}; name one by its id`);
    if (readable.length === 1) return this.getReadable(p, readable[0].id);
    if (candidates.length) throw outOfReach(p);
    throw new NotFoundException('Website not found');
  }

  private async getFor(p: Principal, id: string, action: 'read' | 'manage_websites'): Promise<WebsiteRow> {
    const site = id.length <= 64 ? await this.websites.findById(id) : null;
    if (!site) throw new NotFoundException('Website not found');
    assertCan(p, site.organization_id, action, 'Website');
    return site;
  }

  private async validFields(dto: UpdateWebsiteDto): Promise<UpdateWebsiteDto> {
    const out: UpdateWebsiteDto = { ...dto };
    if (dto.name !== undefined) out.name = dto.name.trim();
    if (out.name !== undefined && !out.name) throw new BadRequestException(['name must not be empty']);
    if (dto.domain !== undefined) {
      const domain = normalizeDomain(dto.domain);
      if (!domain) throw new BadRequestException(['domain must be a hostname such as example.com']);
      out.domain = domain;
    }
    if (dto.timezone !== undefined) {
      // Queries convert in Node and in Postgres: the zone must be known to both tz databases.
      const zone = isValidTimeZone(dto.timezone) ? await this.zones.postgresName(dto.timezone) : null;
      if (!zone) throw new BadRequestException([`timezone must be an IANA time zone such as Europe/Berlin (got "${dto.timezone}")`]);
      out.timezone = zone;
    }
    return out;
  }
}
