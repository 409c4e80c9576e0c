import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig, WORKER_SLOT_ENV } from './config';

describe('loadConfig', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'footfall-config-'));

  it('has working defaults in development', () => {
    const cwd = dir();
    const c = loadConfig({}, cwd);
    expect(c).toMatchObject({ port: 3000, databaseUrl: null, production: false, dataDir: path.join(cwd, '.data') });
    expect(c.limits).toMatchObject({ sparklyticsPerMinute: 60, ovyxaEventsPerHour: 1000, rybbitPerSecond: 20, webAnalyzerPerMinute: 60, plausiblePerMinute: 0, monthlyEventQuota: 0 });
  });

  it('listens on this machine only in development, on every interface in production (the image), unless HOST says otherwise', () => {
    expect(loadConfig({}, dir()).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }, dir()).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }, dir()).host).toBe('0.0.0.0');
  });

  it('lets the embedded Postgres pick another port only when EMBEDDED_PG_PORT is unset', () => {
    expect(loadConfig({}, dir())).toMatchObject({ embeddedPgPort: 54329, embeddedPgPortFixed: false });
    expect(loadConfig({ EMBEDDED_PG_PORT: '5555' }, dir())).toMatchObject({ embeddedPgPort: 5555, embeddedPgPortFixed: true });
  });

  it('reads the query pool, time budgets, export limits and request timeout', () => {
    expect(loadConfig({}, dir())).toMatchObject({
      requestTimeoutMs: 30_000,
      query: { poolSize: 5, timeoutMs: 30_000, concurrencyPerOrganization: 3, queueTimeoutMs: 5000, exportConcurrency: 2, exportIdleTimeoutMs: 30_000 },
    });
    const env = { QUERY_POOL_SIZE: '8', QUERY_TIMEOUT_MS: '250', QUERY_CONCURRENCY_PER_ORGANIZATION: '1', QUERY_QUEUE_TIMEOUT_MS: '0', EXPORT_CONCURRENCY: '1', EXPORT_IDLE_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '1000' };
    expect(loadConfig(env, dir())).toMatchObject({
      requestTimeoutMs: 1000,
      query: { poolSize: 8, timeoutMs: 250, concurrencyPerOrganization: 1, queueTimeoutMs: 0, exportConcurrency: 1, exportIdleTimeoutMs: 500 },
    });
    expect(() => loadConfig({ QUERY_POOL_SIZE: '0' }, dir())).toThrow('QUERY_POOL_SIZE must be between 1 and 200 (got 0)');
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '10' }, dir())).toThrow('REQUEST_TIMEOUT_MS must be between 100 and 3600000 (got 10)');
  });

  it('generates the development JWT secret once and keeps it in the data folder', () => {
    const cwd = dir();
    const a = loadConfig({}, cwd).jwtSecret;
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({}, cwd).jwtSecret).toBe(a);
    expect(readFileSync(path.join(cwd, '.data', 'jwt-secret'), 'utf8').trim()).toBe(a);
  });

  it.each([
    [{ NODE_ENV: 'production' }, 'Configuration error: JWT_SECRET is required when NODE_ENV=production'],
    [{ JWT_SECRET: 'short' }, 'Configuration error: JWT_SECRET must be at least 32 characters'],
    [{ PORT: 'abc' }, 'Configuration error: PORT must be a whole number (got "abc")'],
    [{ PORT: '70000' }, 'Configuration error: PORT must be between 0 and 65535 (got 70000)'],
    [{ DATABASE_URL: 'mysql://x' }, 'Configuration error: DATABASE_URL must start with postgres:// or postgresql://'],
    [{ DATABASE_URL: 'not a url' }, 'Configuration error: DATABASE_URL is not a valid URL'],
    [{ REDIS_URL: 'http://x' }, 'Configuration error: REDIS_URL must start with redis:// or rediss://'],
    [{ TRUST_PROXY: 'yes please' }, expect.stringContaining('Configuration error: TRUST_PROXY')],
    [{ RYBBIT_RATE_LIMIT_PER_SECOND: '-1' }, expect.stringContaining('RYBBIT_RATE_LIMIT_PER_SECOND')],
    [{ WORKERS: '0' }, 'Configuration error: WORKERS must be "auto" or a whole number from 1 to 256 (got "0")'],
    [{ WORKERS: 'many' }, 'Configuration error: WORKERS must be "auto" or a whole number from 1 to 256 (got "many")'],
  ])('rejects %p with a one-line message naming the variable', (env, message) => {
    let error: unknown;
    try {
      loadConfig(env as Record<string, string>, dir());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toEqual(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('reads limits, with 0 turning a limit off', () => {
    const c = loadConfig({ SPARKLYTICS_RATE_LIMIT_PER_MINUTE: '0', OVYXA_EVENTS_PER_HOUR: '10000', TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }, dir());
    expect(c.limits.sparklyticsPerMinute).toBe(0);
    expect(c.limits.ovyxaEventsPerHour).toBe(10000);
    expect(loadConfig({ PLAUSIBLE_RATE_LIMIT_PER_MINUTE: '120' }, dir()).limits.plausiblePerMinute).toBe(120);
    expect(c.trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });

  it('reads the login limits: per (email, IP) pair, per IP, per email in total, and the backoff', () => {
    const env = { JWT_SECRET: 'x'.repeat(32) };
    expect(loadConfig(env, dir()).limits).toMatchObject({ loginFailuresPerEmailIp: 5, loginFailuresPerIp: 20, loginFailuresPerEmailTotal: 100, loginBackoffSeconds: 1, loginWindowSeconds: 900 });
    // The former per-email lock's setting now sets the pair limit, unless the new name is given.
    expect(loadConfig({ ...env, LOGIN_MAX_FAILURES_PER_EMAIL: '7' }, dir()).limits.loginFailuresPerEmailIp).toBe(7);
    expect(loadConfig({ ...env, LOGIN_MAX_FAILURES_PER_EMAIL: '7', LOGIN_MAX_FAILURES_PER_EMAIL_IP: '3' }, dir()).limits.loginFailuresPerEmailIp).toBe(3);
    expect(() => loadConfig({ ...env, LOGIN_BACKOFF_SECONDS: '0' }, dir())).toThrow(ConfigError);
  });

  it('runs one process by default; WORKERS=auto starts one worker per core', () => {
    expect(loadConfig({}, dir())).toMatchObject({ workers: 1, backgroundJobs: true, workerSlot: null });
    expect(loadConfig({ WORKERS: '3' }, dir()).workers).toBe(3);
    expect(loadConfig({ WORKERS: 'auto' }, dir()).workers).toBe(availableParallelism());
  });

  it('gives the background jobs to the first worker of a cluster only', () => {
    expect(loadConfig({ [WORKER_SLOT_ENV]: '1' }, dir())).toMatchObject({ backgroundJobs: true, workerSlot: 1 });
    expect(loadConfig({ [WORKER_SLOT_ENV]: '2' }, dir())).toMatchObject({ backgroundJobs: false, workerSlot: 2 });
  });
});
