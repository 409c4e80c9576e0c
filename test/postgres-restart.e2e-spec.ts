import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../src/app.factory';
import { loadConfig } from '../src/config/config';
import { runMigrations } from '../src/database/migrator';
import { queryDb } from './support/events-db';
import { freePort } from './support/global-setup';
import { PostgresProcess, startPostgresProcess } from './support/postgres-process';

/**
 * Kill test: with a load running, Postgres stops and starts again. Clients see 503 (never 500 or
 * a hang) while it is down, the service recovers by itself, and every event answered 2xx is stored.
 */
describe('Postgres restart under load', () => {
  jest.setTimeout(120_000);
  let pg: PostgresProcess;
  let app: NestFastifyApplication;
  let dataDir: string;
  let port: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'footfall-restart-'));
    chmodSync(dataDir, 0o755);
    port = await freePort();
    pg = await startPostgresProcess(path.join(dataDir, 'pg'), port);
    await runMigrations(pg.url);
    const config = { ...loadConfig({ NODE_ENV: 'test', JWT_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'fatal', OVYXA_EVENTS_PER_HOUR: '0' }), databaseUrl: pg.url };
    app = await createApp(config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    await pg?.stop();
  });

  it('answers 503 while Postgres is down, recovers, and loses no acknowledged event', async () => {
    const http = () => request(app.getHttpServer());
    const signup = await http().post('/api/auth/signup').send({ email: 'kill@example.com', password: 'correct horse battery' }).expect(201);
    const auth = { Authorization: `Bearer ${signup.body.access_token}` };
    const site = await http().post('/api/websites').set(auth).send({ name: 's', domain: 'example.com' }).expect(201);
    const key = await http().post('/api/api-keys').set(auth).send({ name: 'k', scopes: ['ingest'] }).expect(201);

    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    let running = true;
    const worker = async (w: number) => {
      for (let i = 0; running; i++) {
        const res = await http()
          .post('/api/v1/events/custom')
          .set('Authorization', `Bearer ${key.body.key}`)
          .timeout(15_000)
          .send({ site_id: site.body.id, event_name: 'load', url: `https://example.com/w${w}/${i}` });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 201) acknowledged.push(res.body.event_id.replace('evt_', ''));
        else if (res.status !== 503) throw new Error(`unexpected ${res.status} ${JSON.stringify(res.body)}`);
        else expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        if (res.status === 503) await new Promise((r) => setTimeout(r, 50));
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));

    await new Promise((r) => setTimeout(r, 1500));
    const before = acknowledged.length;
    await pg.stop();
    await new Promise((r) => setTimeout(r, 2500));
    const during503 = statuses.get(503) ?? 0;
    pg = await startPostgresProcess(path.join(dataDir, 'pg'), port);
    // Recovery without a restart of Footfall: acknowledgements resume.
    const resumedFrom = acknowledged.length;
    const until = Date.now() + 30_000;
    while (acknowledged.length < resumedFrom + 50 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    running = false;
    await load;

    expect(before).toBeGreaterThan(0);
    expect(during503).toBeGreaterThan(0);
    expect(acknowledged.length).toBeGreaterThanOrEqual(resumedFrom + 50);
    expect([...statuses.keys()].sort()).toEqual([201, 503]);

    const stored = await queryDb<{ id: string }>(pg.url, 'SELECT id::text FROM events');
    const ids = new Set(stored.map((r) => r.id));
    const lost = acknowledged.filter((id) => !ids.has(id));
    expect(lost).toEqual([]);
  });
});
