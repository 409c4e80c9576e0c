import { randomBytes } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/config';
import { adminQuery, databaseUrl } from './database';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** URL of this test file's own database. */
  dbUrl: string;
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

/** Starts Footfall on a fresh database cloned from the migrated template. env overrides settings. */
export async function startTestApp(env: Record<string, string> = {}, opts: { logDestination?: DestinationStream } = {}): Promise<TestApp> {
  const serverUrl = process.env.FOOTFALL_TEST_SERVER_URL!;
  const template = process.env.FOOTFALL_TEST_TEMPLATE!;
  const db = `footfall_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${db} TEMPLATE ${template}`);
  const dbUrl = databaseUrl(serverUrl, db);
  const config: AppConfig = {
    ...loadConfig({ NODE_ENV: 'test', JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'error', ...env }),
    databaseUrl: dbUrl,
  };
  const app = await createApp(config, { logDestination: opts.logDestination });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    config,
    dbUrl,
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    },
  };
}

/** A second Footfall process on the same database and settings (as behind a load balancer). */
export async function startSecondInstance(t: TestApp): Promise<Pick<TestApp, 'app' | 'http' | 'close'>> {
  const app = await createApp(t.config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, http: () => request(app.getHttpServer()), close: () => app.close() };
}

let counter = 0;

export interface Account {
  token: string;
  userId: string;
  email: string;
  organizationId: string;
}

/** Signs up a new user with their own organization. */
export async function signup(t: TestApp, name = 'user'): Promise<Account> {
  const email = `${name}-${++counter}-${randomBytes(3).toString('hex')}@example.com`;
  const res = await t.http().post('/api/auth/signup').send({ email, password: 'correct horse battery', name });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: res.body.access_token, userId: res.body.user.id, email, organizationId: res.body.organization.id };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Signs up a new user and adds them to the owner's organization with the role. */
export async function joinOrganization(t: TestApp, owner: Account, role: string): Promise<Account> {
  const who = await signup(t, role);
  const res = await t.http().post(`/api/organizations/${owner.organizationId}/members`).set(bearer(owner.token)).send({ email: who.email, role });
  if (res.status !== 201) throw new Error(`membership failed: ${res.status} ${JSON.stringify(res.body)}`);
  return who;
}

export async function createWebsite(t: TestApp, a: Account, body: Record<string, unknown> = {}): Promise<{ id: string; [k: string]: unknown }> {
  const res = await t.http().post('/api/websites').set(bearer(a.token)).send({ name: 'Site', domain: 'example.com', ...body });
  if (res.status !== 201) throw new Error(`website failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createApiKey(t: TestApp, a: Account, body: Record<string, unknown> = {}): Promise<{ id: string; key: string; [k: string]: unknown }> {
  const res = await t.http().post('/api/api-keys').set(bearer(a.token)).send({ name: 'key', scopes: ['ingest', 'read'], ...body });
  if (res.status !== 201) throw new Error(`api key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
