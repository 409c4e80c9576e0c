import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { adminQuery, databaseUrl } from './database';

export interface MediumDb {
  db: DataSource;
  /** URL of this test file's own database. */
  url: string;
  /** An organization and a website in it, for rows that need one. */
  seedWebsite(id: string): Promise<void>;
  close(): Promise<void>;
}

/** A fresh database cloned from the migrated template, behind a DataSource: a unit's Postgres, without the app. */
export async function openMediumDb(): Promise<MediumDb> {
  const server = process.env.FOOTFALL_TEST_SERVER_URL!;
  const name = `footfall_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(server, `CREATE DATABASE ${name} TEMPLATE ${process.env.FOOTFALL_TEST_TEMPLATE}`);
  const url = databaseUrl(server, name);
  const db = new DataSource({ type: 'postgres', url, entities: [], extra: { max: 8 } });
  await db.initialize();
  return {
    db,
    url,
    async seedWebsite(id) {
      const [org] = await db.query("INSERT INTO organizations (name) VALUES ('medium') RETURNING id");
      await db.query("INSERT INTO websites (id, organization_id, name, domain) VALUES ($1, $2, 'Site', 'example.com')", [id, org.id]);
    },
    async close() {
      await db.destroy();
      await adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
