import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { assertCan, Principal, roleAtLeast, targetOrganization } from '../auth/principal';
import { WebsitesRepository } from '../websites/websites.repository';
import { Invalidations } from '../cluster/invalidations';
import { generateApiKey } from './api-key-secret';
import { ApiKeyRow, ApiKeysRepository } from './api-keys.repository';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';

function toDto(k: ApiKeyRow): ApiKeyDto {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    website_ids: k.website_ids,
    expires_at: k.expires_at?.toISOString() ?? null,
    last_used_at: k.last_used_at?.toISOString() ?? null,
    organization_id: k.organization_id,
    created_at: k.created_at.toISOString(),
  };
}

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly websites: WebsitesRepository,
    private readonly invalidations: Invalidations,
  ) {}

  async create(p: Principal, dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const organizationId = targetOrganization(p, dto.organization_id);
    assertCan(p, organizationId, 'manage_keys', 'Organization');
    const expiresAt = dto.expires_at ? new Date(dto.expires_at) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw new BadRequestException(['expires_at must be in the future']);
    const websiteIds = dto.website_ids ?? null;
    if (websiteIds) {
      const known = new Set(await this.websites.idsInOrganization(organizationId, websiteIds));
      const missing = websiteIds.filter((id) => !known.has(id));
      if (missing.length) throw new BadRequestException([`website_ids contains unknown websites: ${missing.join(', ')}`]);
    }
    const secret = generateApiKey();
    const row = await this.keys.insert({
      organizationId,
      name: dto.name.trim(),
      prefix: secret.prefix,
      hash: secret.hash,
      scopes: dto.scopes,
      websiteIds,
      expiresAt,
      createdBy: p.kind === 'user' ? p.userId : null,
    });
    return { ...toDto(row), key: secret.key };
  }

  /** Active keys of every organization where the caller may manage keys. */
  async list(p: Principal): Promise<ApiKeyDto[]> {
    const orgs = p.kind === 'user' ? [...p.roles].filter(([, role]) => roleAtLeast(role, 'admin')).map(([id]) => id) : [];
    return orgs.length ? (await this.keys.listByOrganizations(orgs)).map(toDto) : [];
  }

  async revoke(p: Principal, id: string): Promise<void> {
    const key = await this.keys.findById(id);
    if (!key || key.revoked_at) throw new NotFoundException('API key not found');
    assertCan(p, key.organization_id, 'manage_keys', 'API key');
    await this.keys.revoke(id);
    // Every process caching the key forgets it before the revocation is answered.
    await this.invalidations.publish('api-key', id);
  }
}
