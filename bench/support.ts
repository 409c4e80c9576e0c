import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { runMigrations } from '../src/database/migrator';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A throwaway embedded Postgres for one benchmark run, migrated. */
export async function benchPostgres(): Promise<EmbeddedPostgresHandle & { dataDir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'footfall-bench-'));
  chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: false });
  await runMigrations(pg.url);
  return { ...pg, dataDir: dir, stop: () => pg.stop() };
}

/** CPU time (user + system, seconds) used so far by each of these processes that still runs. */
export function cpuSeconds(pids: number[]): Map<number, number> {
  const used = new Map<number, number>();
  for (const pid of pids) {
    try {
      // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      used.set(pid, (Number(fields[11]) + Number(fields[12])) / 100); // USER_HZ
    } catch {
      // exited
    }
  }
  return used;
}

/** CPU seconds used between two readings (processes started in between count from zero). */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, s] of after) total += s - (before.get(pid) ?? 0);
  return total;
}

/** Node's own options in `npm start` (package.json), so that a benchmark runs Footfall as users do. */
export function startNodeOptions(): string[] {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).filter((a) => a.startsWith('--'));
}

/** Processes whose parent is `pid` (Linux /proc): a cluster's workers, a postmaster's backends. */
export function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Pins processes (all their threads) to one core with taskset, as a small server would run them:
 * the processes they start afterwards (Postgres backends, cluster workers) inherit it.
 */
export function pinToCore(pids: number[], core: number): void {
  for (const pid of pids) execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
}

/** The postmaster of a benchPostgres data folder and its current children (backends, WAL writer, checkpointer...). */
export function postgresPids(dataDir: string): number[] {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return [];
  const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return [postmaster, ...childPids(postmaster)];
}

/** Spawns a node script and resolves once it answers on `ready` (a URL to poll, or a stdout line). */
export async function spawnServer(script: string, args: string[], env: Record<string, string>, readyUrl?: string, nodeArgs: string[] = []): Promise<ChildProcess> {
  const proc = spawn(process.execPath, [...nodeArgs, script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  proc.stdout!.on('data', (d) => (stdout += d));
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`${script} exited with ${proc.exitCode}`);
    if (!readyUrl && stdout.includes('ready')) return proc;
    if (readyUrl) {
      const ok = await fetch(readyUrl).then((r) => r.ok, () => false);
      if (ok) return proc;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill();
  throw new Error(`${script} did not become ready`);
}

export async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

async function post(url: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Signs up, creates `sites` websites and an ingest+read key; returns their ids and the key. */
export async function createTenant(base: string, sites = 1): Promise<{ token: string; websiteIds: string[]; key: string }> {
  const email = `bench-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const signup = await post(`${base}/api/auth/signup`, { email, password: 'benchmark password' });
  const token = signup.access_token as string;
  const websiteIds: string[] = [];
  for (let i = 0; i < sites; i++) websiteIds.push((await post(`${base}/api/websites`, { name: `Site ${i}`, domain: `site${i}.example.com` }, token)).id as string);
  const key = (await post(`${base}/api/api-keys`, { name: 'bench', scopes: ['ingest', 'read'] }, token)).key as string;
  return { token, websiteIds, key };
}

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
];
const REFERRERS = ['https://www.google.com/', 'https://news.ycombinator.com/', 'https://twitter.com/', '', 'https://duckduckgo.com/', 'https://site0.example.com/'];
const PATHS = ['/', '/pricing', '/blog', '/blog/postgres-partitioning', '/docs/getting-started', '/about', '/signup', '/checkout'];

export const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];
export const randomIp = () => `${1 + Math.floor(Math.random() * 222)}.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;
export const randomUserAgent = () => pick(USER_AGENTS);

/** A realistic pageview or custom event for one of the given sites. */
export function randomPage(host: string): { url: string; referrer: string } {
  const utm = Math.random() < 0.15 ? `?utm_source=${pick(['newsletter', 'google', 'twitter'])}&utm_medium=${pick(['email', 'cpc', 'social'])}` : '';
  return { url: `https://${host}${pick(PATHS)}${utm}`, referrer: pick(REFERRERS) };
}
