import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Scope } from '../auth/principal';

export interface ApiKeyRow {
  id: string;
  organization_id: string;
  name: string;
  prefix: string;
  key_hash: Buffer;
  scopes: Scope[];
  website_ids: string[] | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  created_at: Date;
}

const COLUMNS = 'id, organization_id, name, prefix, key_hash, scopes, website_ids, expires_at, revoked_at, last_used_at, created_at';

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: DataSource) {}

  async insert(k: {
    organizationId: string;
    name: string;
    prefix: string;
    hash: Buffer;
    scopes: Scope[];
    websiteIds: string[] | null;
    expiresAt: Date | null;
    createdBy: string | null;
  }): Promise<ApiKeyRow> {
    const [row] = await this.db.query(
      `INSERT INTO api_keys (organization_id, name, prefix, key_hash, scopes, website_ids, expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [k.organizationId, k.name, k.prefix, k.hash, k.scopes, k.websiteIds, k.expiresAt, k.createdBy],
    );
    return row;
  }

  async findByHash(hash: Buffer): Promise<ApiKeyRow | null> {
    const rows = await this.db.query(`SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1`, [hash]);
    return rows[0] ?? null;
  }

  async findById(id: string): Promise<ApiKeyRow | null> {
    const rows = await this.db.query(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async listByOrganizations(organizationIds: string[]): Promise<ApiKeyRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM api_keys WHERE organization_id = ANY($1::uuid[]) AND revoked_at IS NULL ORDER BY created_at DESC, id`,
      [organizationIds],
    );
  }

  async revoke(id: string): Promise<void> {
    await this.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.db.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)', [id, at]);
  }
}
