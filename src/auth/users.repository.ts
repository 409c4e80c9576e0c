import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Role } from './principal';

export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  password_hash: string;
}

export interface OrganizationRow {
  id: string;
  name: string;
  role: Role;
}

export interface MemberRow {
  user_id: string;
  email: string;
  name: string | null;
  role: Role;
  created_at: Date;
}

/** One organization's memberships, read and changed under its row lock. */
export interface LockedMemberships {
  role(userId: string): Promise<Role | null>;
  countOwners(): Promise<number>;
  upsert(userId: string, role: Role): Promise<void>;
  remove(userId: string): Promise<void>;
}

/** SQL for users, organizations and memberships. */
@Injectable()
export class TenancyRepository {
  constructor(private readonly db: DataSource) {}

  async findUserByEmail(email: string): Promise<UserRow | null> {
    const rows = await this.db.query('SELECT id, email, name, password_hash FROM users WHERE lower(email) = lower($1)', [email]);
    return rows[0] ?? null;
  }

  async findUserById(id: string): Promise<UserRow | null> {
    const rows = await this.db.query('SELECT id, email, name, password_hash FROM users WHERE id = $1', [id]);
    return rows[0] ?? null;
  }

  /** Creates a user and their first organization (as owner) in one transaction. */
  async createUserWithOrganization(
    user: { email: string; name: string | null; passwordHash: string },
    organizationName: string,
  ): Promise<{ user: UserRow; organization: { id: string; name: string } }> {
    return this.db.transaction(async (tx) => {
      const [u] = await tx.query(
        'INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id, email, name, password_hash',
        [user.email, user.name, user.passwordHash],
      );
      const organization = await this.insertOrganization(tx, organizationName, u.id);
      return { user: u, organization };
    });
  }

  async createOrganization(name: string, ownerId: string): Promise<{ id: string; name: string }> {
    return this.db.transaction((tx) => this.insertOrganization(tx, name, ownerId));
  }

  private async insertOrganization(tx: EntityManager, name: string, ownerId: string): Promise<{ id: string; name: string }> {
    const [org] = await tx.query('INSERT INTO organizations (name) VALUES ($1) RETURNING id, name', [name]);
    await tx.query("INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, 'owner')", [org.id, ownerId]);
    return org;
  }

  async rolesOf(userId: string): Promise<Map<string, Role>> {
    const rows: { organization_id: string; role: Role }[] = await this.db.query(
      'SELECT organization_id, role FROM memberships WHERE user_id = $1',
      [userId],
    );
    return new Map(rows.map((r) => [r.organization_id, r.role]));
  }

  async organizationsOf(userId: string): Promise<OrganizationRow[]> {
    return this.db.query(
      `SELECT o.id, o.name, m.role FROM memberships m JOIN organizations o ON o.id = m.organization_id
       WHERE m.user_id = $1 ORDER BY o.created_at, o.id`,
      [userId],
    );
  }

  async listMembers(organizationId: string): Promise<MemberRow[]> {
    return this.db.query(
      `SELECT u.id AS user_id, u.email, u.name, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.organization_id = $1 ORDER BY m.created_at, u.id`,
      [organizationId],
    );
  }

  /**
   * Runs `work` in one transaction that holds the organization row locked: membership changes of
   * one organization take turns, so a check made in `work` (the last owner stays) still holds when
   * its change commits. NO KEY UPDATE, so inserts that only reference the organization (websites,
   * keys) are not held up.
   */
  async withLockedMemberships<T>(organizationId: string, work: (m: LockedMemberships) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT id FROM organizations WHERE id = $1 FOR NO KEY UPDATE', [organizationId]);
      return work({
        role: async (userId) => {
          const rows = await tx.query('SELECT role FROM memberships WHERE organization_id = $1 AND user_id = $2', [organizationId, userId]);
          return rows[0]?.role ?? null;
        },
        countOwners: async () => {
          const [r] = await tx.query("SELECT count(*)::int AS n FROM memberships WHERE organization_id = $1 AND role = 'owner'", [organizationId]);
          return r.n;
        },
        upsert: async (userId, role) => {
          await tx.query(
            `INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, $3)
             ON CONFLICT (organization_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
            [organizationId, userId, role],
          );
        },
        remove: async (userId) => {
          await tx.query('DELETE FROM memberships WHERE organization_id = $1 AND user_id = $2', [organizationId, userId]);
        },
      });
    });
  }
}
