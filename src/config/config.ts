import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';

/** Raised for a bad or missing setting; main prints its one-line message and exits. */
export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Configuration error: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

export interface RateLimits {
  /** Sparklytics /api/collect requests per minute per client IP. */
  sparklyticsPerMinute: number;
  /** Ovyxa events per hour per key. */
  ovyxaEventsPerHour: number;
  /** Rybbit requests per second per key. */
  rybbitPerSecond: number;
  /** Web Analyzer requests per minute per key. */
  webAnalyzerPerMinute: number;
  /** Native API requests per minute per key or IP. */
  nativePerMinute: number;
  /** Plausible /api/event requests per minute per client IP. */
  plausiblePerMinute: number;
  /** Umami /api/send requests per minute per client IP. */
  umamiPerMinute: number;
  /** Failed logins per (email, client IP) pair within loginWindowSeconds before backoff starts. */
  loginFailuresPerEmailIp: number;
  /** Failed logins per client IP, and per email from all IPs together (a high ceiling), within the window. */
  loginFailuresPerIp: number;
  loginFailuresPerEmailTotal: number;
  /** The first backoff wait of a pair past its limit; it doubles with each further failure, up to the window. */
  loginBackoffSeconds: number;
  loginWindowSeconds: number;
  /** Events per organization per calendar month (UTC); 0 = unlimited. */
  monthlyEventQuota: number;
}

export interface AppConfig {
  nodeEnv: string;
  production: boolean;
  port: number;
  host: string;
  /** Postgres connection string; null means "start the embedded Postgres in dataDir". */
  databaseUrl: string | null;
  databasePoolSize: number;
  /** Postgres work_mem (MB) for raw-event queries: their sorts and hashes stay in memory. */
  queryWorkMemMb: number;
  /**
   * Query work (statistics, exports) runs on a pool of its own, so it never takes the connections
   * ingestion and /health need: its size, each statement's time budget, the queries of one
   * organization running at once (more wait), how long a query waits for its turn before 503, and
   * the exports running at once (more: 429) with how long a stalled export may wait for its reader.
   */
  query: {
    poolSize: number;
    timeoutMs: number;
    concurrencyPerOrganization: number;
    queueTimeoutMs: number;
    exportConcurrency: number;
    exportIdleTimeoutMs: number;
  };
  dataDir: string;
  embeddedPgPort: number;
  /** EMBEDDED_PG_PORT was set: a taken port is an error rather than a reason to pick another. */
  embeddedPgPortFixed: boolean;
  jwtSecret: string;
  jwtExpiresIn: number;
  /** Origins allowed to call the management API from browsers; empty = none. */
  corsOrigins: string[];
  /** Origins allowed on /api/collect; null = any origin. Websites' own domains are always allowed. */
  collectCorsOrigins: string[] | null;
  /** Body limit for management routes, bytes. */
  bodyLimit: number;
  /**
   * A request's headers and body must arrive within this many ms (its headers within the smaller of
   * this and 10 s), else 408 and the connection is closed: slow or stalled uploads hold no socket.
   */
  requestTimeoutMs: number;
  /** Fastify trustProxy: false, true, or a list of CIDRs / addresses. */
  trustProxy: boolean | string[];
  geoipDbPath: string | null;
  redisUrl: string | null;
  logLevel: string;
  limits: RateLimits;
  /**
   * Writer tuning: max events per flush, flush interval, queue bound before shedding, flushes in
   * flight, and visitors whose visit state is remembered (0: every batch takes the locked path).
   */
  writer: { maxBatch: number; flushIntervalMs: number; maxQueue: number; concurrency: number; visitCache: number };
  /**
   * Daily rollups: how often the job recomputes changed days (0 = never, queries then read raw
   * events only), and how many events the rolled-up days of a query must hold before the query
   * is answered from them (smaller ranges are counted exactly from the raw events).
   */
  rollups: { intervalMs: number; minEvents: number };
  /** Processes serving HTTP (node:cluster); 1 = the primary serves alone. */
  workers: number;
  /**
   * Whether this process runs the background jobs (rollups, hourly maintenance): a single
   * process, or a cluster's first worker; the others only serve requests.
   */
  backgroundJobs: boolean;
  /** This process's slot in a cluster (its log lines carry it); null when not a cluster worker. */
  workerSlot: number | null;
}

/** Set by the cluster primary on each worker it starts: the worker's slot, 1..WORKERS (kept when a worker is replaced). */
export const WORKER_SLOT_ENV = 'FOOTFALL_WORKER_SLOT';

function workers(raw: string | undefined): number {
  const v = raw?.trim();
  if (!v) return 1;
  if (v === 'auto') return availableParallelism();
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256) throw new ConfigError('WORKERS', `must be "auto" or a whole number from 1 to 256 (got "${raw}")`);
  return Number(v);
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return def;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number (got "${raw}")`);
  const v = Number(raw.trim());
  if (v < min || v > max) throw new ConfigError(name, `must be between ${min} and ${max} (got ${v})`);
  return v;
}

function list(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(name, `must start with ${protocols.map((p) => p + '//').join(' or ')}`);
  return raw;
}

function trustProxy(raw: string | undefined): boolean | string[] {
  const v = raw?.trim();
  if (!v || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  const entries = list(v);
  for (const e of entries) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(e)) throw new ConfigError('TRUST_PROXY', `must be true, false or a comma-separated list of IPs/CIDRs (got "${e}")`);
  }
  return entries;
}

/** In development the JWT secret is generated once and kept in the data folder. */
function devJwtSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/** Reads and validates every setting; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const nodeEnv = env.NODE_ENV?.trim() || 'development';
  const production = nodeEnv === 'production';
  const dataDir = path.resolve(cwd, env.DATA_DIR?.trim() || '.data');
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);

  let jwtSecret = env.JWT_SECRET?.trim() ?? '';
  if (jwtSecret) {
    if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
  } else if (production) {
    throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production');
  } else {
    jwtSecret = devJwtSecret(dataDir);
  }

  const geoipDbPath = env.GEOIP_DB_PATH?.trim() || null;
  const collectOrigins = env.COLLECT_CORS_ORIGINS ?? env.SPARKLYTICS_CORS_ORIGINS;

  return {
    nodeEnv,
    production,
    port: int(env, 'PORT', 3000, 0, 65535),
    // A development server stays on this machine unless asked; production (the image) serves the network.
    host: env.HOST?.trim() || (production ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 2, 200),
    queryWorkMemMb: int(env, 'QUERY_WORK_MEM_MB', 32, 1, 4096),
    query: {
      poolSize: int(env, 'QUERY_POOL_SIZE', 5, 1, 200),
      timeoutMs: int(env, 'QUERY_TIMEOUT_MS', 30_000, 1, 3_600_000),
      concurrencyPerOrganization: int(env, 'QUERY_CONCURRENCY_PER_ORGANIZATION', 3, 1, 200),
      queueTimeoutMs: int(env, 'QUERY_QUEUE_TIMEOUT_MS', 5000, 0, 600_000),
      exportConcurrency: int(env, 'EXPORT_CONCURRENCY', 2, 1, 200),
      exportIdleTimeoutMs: int(env, 'EXPORT_IDLE_TIMEOUT_MS', 30_000, 100, 3_600_000),
    },
    dataDir,
    embeddedPgPort: int(env, 'EMBEDDED_PG_PORT', 54329, 1, 65535),
    embeddedPgPortFixed: !!env.EMBEDDED_PG_PORT?.trim(),
    jwtSecret,
    jwtExpiresIn: int(env, 'JWT_EXPIRES_IN', 3600, 60, 7 * 24 * 3600),
    corsOrigins: list(env.CORS_ORIGINS),
    collectCorsOrigins: collectOrigins && collectOrigins.trim() ? list(collectOrigins) : null,
    bodyLimit: int(env, 'BODY_LIMIT', 1_048_576, 1024, 64 * 1_048_576),
    requestTimeoutMs: int(env, 'REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
    trustProxy: trustProxy(env.TRUST_PROXY),
    geoipDbPath,
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    logLevel: env.LOG_LEVEL?.trim() || (production ? 'info' : 'warn'),
    limits: {
      sparklyticsPerMinute: int(env, 'SPARKLYTICS_RATE_LIMIT_PER_MINUTE', 60),
      ovyxaEventsPerHour: int(env, 'OVYXA_EVENTS_PER_HOUR', 1000),
      rybbitPerSecond: int(env, 'RYBBIT_RATE_LIMIT_PER_SECOND', 20),
      webAnalyzerPerMinute: int(env, 'WEBANALYZER_RATE_LIMIT_PER_MINUTE', 60),
      nativePerMinute: int(env, 'NATIVE_RATE_LIMIT_PER_MINUTE', 0),
      plausiblePerMinute: int(env, 'PLAUSIBLE_RATE_LIMIT_PER_MINUTE', 0),
      umamiPerMinute: int(env, 'UMAMI_RATE_LIMIT_PER_MINUTE', 0),
      // LOGIN_MAX_FAILURES_PER_EMAIL, the former per-email lock, now sets the per-pair limit.
      loginFailuresPerEmailIp: int(env, 'LOGIN_MAX_FAILURES_PER_EMAIL_IP', int(env, 'LOGIN_MAX_FAILURES_PER_EMAIL', 5)),
      loginFailuresPerIp: int(env, 'LOGIN_MAX_FAILURES_PER_IP', 20),
      loginFailuresPerEmailTotal: int(env, 'LOGIN_MAX_FAILURES_PER_EMAIL_TOTAL', 100),
      loginBackoffSeconds: int(env, 'LOGIN_BACKOFF_SECONDS', 1, 1, 3600),
      loginWindowSeconds: int(env, 'LOGIN_FAILURE_WINDOW_SECONDS', 900, 1),
      monthlyEventQuota: int(env, 'MONTHLY_EVENT_QUOTA', 0),
    },
    writer: {
      maxBatch: int(env, 'WRITER_MAX_BATCH', 2000, 1, 50_000),
      flushIntervalMs: int(env, 'WRITER_FLUSH_INTERVAL_MS', 2, 0, 1000),
      maxQueue: int(env, 'WRITER_MAX_QUEUE', 20_000, 1),
      concurrency: int(env, 'WRITER_CONCURRENCY', 4, 1, 64),
      visitCache: int(env, 'WRITER_VISIT_CACHE', 50_000, 0, 10_000_000),
    },
    rollups: {
      intervalMs: int(env, 'ROLLUP_INTERVAL_MS', 60_000, 0, 24 * 3_600_000),
      minEvents: int(env, 'ROLLUP_MIN_EVENTS', 100_000),
    },
    workers: workers(env.WORKERS),
    backgroundJobs: (env[WORKER_SLOT_ENV] ?? '1') === '1',
    workerSlot: env[WORKER_SLOT_ENV] ? Number(env[WORKER_SLOT_ENV]) : null,
  };
}
