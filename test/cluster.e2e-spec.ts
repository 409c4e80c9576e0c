import { chmodSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { childPids } from '../bench/support';
import { processDatabase } from './support/database';
import { queryDb } from './support/events-db';
import { freePort } from './support/global-setup';
import { buildServer, startServer, waitForHealth } from './support/server-process';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A request on a connection of its own, so that the cluster hands it to the next worker. */
function send(port: number, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { host: '127.0.0.1', port, method, path: url, agent: false, timeout: 10_000, headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

const metric = (text: string, line: string) => Number(new RegExp(`^${line.replace(/[{}"/]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

/** WORKERS=2: one instance in two processes, behaving to its clients like one. */
describe('cluster of workers', () => {
  jest.setTimeout(180_000);
  const dbUrl = processDatabase();
  beforeAll(buildServer);

  it('shares limits and metrics across workers, replaces a dead worker, and stops after flushing', async () => {
    const port = await freePort();
    const server = startServer({ DATABASE_URL: dbUrl(), PORT: String(port), HOST: '127.0.0.1', WORKERS: '2', LOG_LEVEL: 'info', SPARKLYTICS_RATE_LIMIT_PER_MINUTE: '5' });
    try {
      await until('both workers listening', () => server.output().includes(' (2 workers). Next: open '), 60_000);
      await waitForHealth(port, 10_000);
      const workers = childPids(server.proc.pid!);
      expect(workers).toHaveLength(2);

      const token = (JSON.parse((await send(port, 'POST', '/api/auth/signup', { email: 'cluster@example.com', password: 'correct horse battery' })).body) as { access_token: string }).access_token;
      const site = JSON.parse((await send(port, 'POST', '/api/websites', { name: 's', domain: 'example.com' }, { authorization: `Bearer ${token}` })).body) as { id: string };
      const apiKey = JSON.parse((await send(port, 'POST', '/api/api-keys', { name: 'k', scopes: ['ingest'] }, { authorization: `Bearer ${token}` })).body) as { key: string };

      // Sparklytics' 60/min per client IP, here 5: one count for the instance, whichever worker answers.
      const collects = [];
      for (let i = 0; i < 8; i++) collects.push(await send(port, 'POST', '/api/collect', { website_id: site.id, type: 'pageview', url: `https://example.com/limit/${i}` }));
      expect(collects.map((r) => r.status)).toEqual([202, 202, 202, 202, 202, 429, 429, 429]);
      expect(collects.map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['4', '3', '2', '1', '0', '0', '0', '0']);
      // Both workers answered them: each request line names its worker.
      const slots = new Set(
        server
          .output()
          .split('\n')
          .filter((l) => l.includes('"route":"/api/collect"'))
          .map((l) => (JSON.parse(l) as { worker: number }).worker),
      );
      expect([...slots].sort()).toEqual([1, 2]);

      // The account routes' throttle (20 signups a minute) is shared too: bad bodies still count.
      const signups = [];
      for (let i = 0; i < 24; i++) signups.push((await send(port, 'POST', '/api/auth/signup', {})).status);
      expect(signups.filter((s) => s === 429)).toHaveLength(5); // 1 good signup above + 19 here, then refused
      expect(signups.slice(0, 19).every((s) => s === 400)).toBe(true);

      // A scrape answers for the instance, not for the worker that took it.
      for (let i = 0; i < 2; i++) {
        const text = (await send(port, 'GET', '/metrics')).body;
        expect(metric(text, 'footfall_ingest_events_total')).toBe(5);
        expect(metric(text, 'footfall_http_requests_total{method="POST",route="/api/collect",status="202"}')).toBe(5);
        expect(metric(text, 'footfall_http_requests_total{method="POST",route="/api/collect",status="429"}')).toBe(3);
      }

      // A revoked key is refused by every worker at once, though each had it cached from a use.
      const revoked = JSON.parse((await send(port, 'POST', '/api/api-keys', { name: 'r', scopes: ['ingest'] }, { authorization: `Bearer ${token}` })).body) as { id: string; key: string };
      const useRevoked = () => send(port, 'POST', '/api/v1/events', { website_id: site.id, url: 'https://example.com/revoked' }, { authorization: `Bearer ${revoked.key}` });
      for (let i = 0; i < 4; i++) expect((await useRevoked()).status).toBe(202);
      expect((await send(port, 'DELETE', `/api/api-keys/${revoked.id}`, undefined, { authorization: `Bearer ${token}` })).status).toBe(204);
      for (let i = 0; i < 4; i++) expect((await useRevoked()).status).toBe(401);

      // A worker that dies is replaced; the instance keeps answering meanwhile.
      process.kill(workers[0], 'SIGKILL');
      const replaced = await until('a replacement worker', () => {
        const now = childPids(server.proc.pid!);
        return now.length === 2 && !now.includes(workers[0]) && now;
      });
      expect(replaced).toContain(workers[1]);
      await until('the replacement listening', () => server.output().split('Server listening at').length - 1 >= 3);
      expect(server.output()).toMatch(/worker \d \(pid \d+\) exited with signal SIGKILL; starting a new one/);

      // SIGTERM during a burst: each worker drains and flushes, then the primary exits 0.
      const burst = Array.from({ length: 200 }, (_, i) =>
        send(port, 'POST', '/api/v1/events', { website_id: site.id, url: `https://example.com/burst/${i}` }, { authorization: `Bearer ${apiKey.key}` }).then(
          (r) => ({ i, status: r.status }),
          () => ({ i, status: 0 }), // refused once the listener closed: not acknowledged
        ),
      );
      await new Promise((r) => setTimeout(r, 30));
      server.proc.kill('SIGTERM');
      const results = await Promise.all(burst);
      expect(await server.exited).toBe(0);
      expect(childPids(server.proc.pid!)).toEqual([]);
      const accepted = results.filter((r) => r.status === 202).map((r) => `/burst/${r.i}`);
      expect(results.every((r) => [0, 202, 503].includes(r.status))).toBe(true);
      expect(accepted.length).toBeGreaterThan(0);
      const stored = new Set((await queryDb<{ path: string }>(dbUrl(), "SELECT path FROM events WHERE path LIKE '/burst/%'")).map((r) => r.path));
      expect(accepted.filter((p) => !stored.has(p))).toEqual([]);
    } finally {
      if (server.proc.exitCode === null) server.proc.kill('SIGKILL');
    }
  });

  it('starts the embedded Postgres once for all workers, with room for their pools, and stops it after them', async () => {
    const [port, pgPort] = [await freePort(), await freePort()];
    const dataDir = mkdtempSync(path.join(tmpdir(), 'footfall-cluster-'));
    chmodSync(dataDir, 0o755);
    const server = startServer({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), PORT: String(port), HOST: '127.0.0.1', WORKERS: '2', DATABASE_POOL_SIZE: '60' });
    try {
      await until('both workers listening', () => server.output().includes(' (2 workers). Next: open '), 90_000);
      const kids = childPids(server.proc.pid!);
      expect(kids).toHaveLength(3); // the postmaster and two workers
      const signup = await send(port, 'POST', '/api/auth/signup', { email: 'embedded@example.com', password: 'correct horse battery' });
      expect(signup.status).toBe(201);
      // 2 x (60 pooled connections, the query pool's 5 + 2 and the listening one) and 10 to spare: above Postgres' default of 100.
      const [{ max_connections }] = await queryDb<{ max_connections: string }>(`postgres://postgres:postgres@127.0.0.1:${pgPort}/postgres`, 'SHOW max_connections');
      expect(max_connections).toBe('146');
      server.proc.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(childPids(server.proc.pid!)).toEqual([]);
      expect(kids.filter(isRunning)).toEqual([]); // Postgres stopped too, after the workers
    } finally {
      if (server.proc.exitCode === null) server.proc.kill('SIGKILL');
    }
  });
});
