/**
 * The query benchmark's database side: the embedded Postgres (or --database-url's server), and the
 * SQL the benchmark runs itself. Reads only, but for two documented operations: a full rollup
 * rebuild (README, Operations: delete the rollups, mark the days) and auto_explain switched on and
 * off for one probe. Nothing here knows an event's columns beyond website_id and occurred_at.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { runMigrations } from '../src/database/migrator';
import { markRollupsDirty } from '../src/rollups/rollup-marks';
import { freePort, pinToCore, postgresPids } from './support';

export interface Database {
  url: string;
  /** The embedded server's processes (none for --database-url's server). */
  pids(): number[];
  /** How to measure this database again, when kept. */
  again: string;
  /** Calls `sink` with the server's log output until the returned function is called (embedded only, else null). */
  captureLog: ((sink: (text: string) => void) => () => void) | null;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | null;
  dataDir: string | null;
  keep: boolean;
  skipLoad: boolean;
  /** --pin: the embedded Postgres runs on core 1, the caller on core 0. */
  pin: boolean;
}

export async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function openDatabase(o: DatabaseOptions): Promise<Database> {
  if (o.databaseUrl) return openServer(o.databaseUrl, o);
  const fresh = !o.dataDir;
  const dir = o.dataDir ?? mkdtempSync(path.join(tmpdir(), 'footfall-query-bench-'));
  if (o.skipLoad && !existsSync(path.join(dir, 'postgres'))) throw new Error(`--data-dir ${dir} holds no database of an earlier --keep run`);
  mkdirSync(dir, { recursive: true });
  // Postgres may run as another user (when started as root); it needs to reach its folder.
  chmodSync(dir, 0o755);
  let sink: ((text: string) => void) | null = null;
  // Postgres inherits the CPU affinity of the process that starts it, and Footfall sizes its
  // parallel workers from that: started from core 1, it is configured as the one-core server it stands for.
  if (o.pin) pinToCore([process.pid], 1);
  const pg: EmbeddedPostgresHandle = await startEmbeddedPostgres({
    dataDir: dir,
    port: await freePort(),
    persistent: o.keep || o.skipLoad,
    log: (text) => sink?.(text),
  });
  if (o.pin) pinToCore([process.pid], 0);
  await runMigrations(pg.url);
  // A run stopped while it explained a probe leaves auto_explain on in a kept folder.
  await withClient(pg.url, autoExplainOff);
  return {
    url: pg.url,
    again: `--skip-load --data-dir ${dir}`,
    pids: () => postgresPids(dir),
    captureLog: (s) => {
      sink = s;
      return () => (sink = null);
    },
    close: async () => {
      await pg.stop();
      if (!o.keep && !o.skipLoad && fresh) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openServer(serverUrl: string, o: DatabaseOptions): Promise<Database> {
  const none = { pids: () => [], captureLog: null };
  if (o.skipLoad) {
    await runMigrations(serverUrl);
    return { url: serverUrl, again: `--skip-load --database-url ${serverUrl}`, ...none, close: async () => undefined };
  }
  const name = `footfall_bench_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  console.log(`created database ${name}`);
  return {
    url: url.toString(),
    again: `--skip-load --database-url ${url.toString()}`,
    ...none,
    close: async () => {
      if (o.keep) return;
      await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      console.log(`dropped database ${name}`);
    },
  };
}

// ---- Facts and sizes --------------------------------------------------------------------------

export interface SiteFacts {
  events: number;
  allEvents: number;
  first: Date;
  last: Date;
  version: string;
  sharedBuffers: string;
  workMem: string;
  parallelWorkers: string;
}

export async function siteFacts(c: Client, websiteId: string): Promise<SiteFacts> {
  const site = (await c.query('SELECT count(*) AS n, min(occurred_at) AS first, max(occurred_at) AS last FROM events WHERE website_id = $1', [websiteId])).rows[0];
  const all = (await c.query('SELECT count(*) AS n FROM events')).rows[0];
  const s = (await c.query(`SELECT current_setting('server_version') AS v, current_setting('shared_buffers') AS sb, current_setting('work_mem') AS wm,
    current_setting('max_parallel_workers_per_gather') AS pw`)).rows[0];
  return { events: Number(site.n), allEvents: Number(all.n), first: site.first, last: site.last, version: s.v, sharedBuffers: s.sb, workMem: s.wm, parallelWorkers: s.pw };
}

const mb = (bytes: number) => `${(bytes / 1048576).toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MB`;

/**
 * Bytes on disk per stored event: every partitioned table but the rollups' (they hold events and
 * visits, whatever the layout calls them), each summed over its partitions with indexes and TOAST,
 * divided by the events stored (all websites). Other tables are listed for context.
 */
export async function printSizes(c: Client): Promise<void> {
  const { rows } = await c.query(`
    SELECT r.relname AS name, r.relkind = 'p' AS partitioned, count(*) FILTER (WHERE t.level > 0 AND t.isleaf) AS partitions,
      sum(pg_total_relation_size(t.relid)) AS total, sum(pg_indexes_size(t.relid)) AS indexes,
      sum(greatest(k.reltuples, 0)) FILTER (WHERE t.isleaf) AS rows
    FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace
    -- pg_partition_tree has no rows for a plain table: the table itself then.
    CROSS JOIN LATERAL (SELECT relid, level, isleaf FROM pg_partition_tree(r.oid) UNION ALL SELECT r.oid, 0, true WHERE r.relkind = 'r') t
    JOIN pg_class k ON k.oid = t.relid
    WHERE n.nspname = current_schema() AND r.relkind IN ('r', 'p') AND NOT r.relispartition
    GROUP BY r.relname, r.relkind
    ORDER BY total DESC`);
  const events = Number((await c.query('SELECT count(*) AS n FROM events')).rows[0].n);
  const counted = (r: { name: string; partitioned: boolean }) => r.partitioned && !r.name.startsWith('rollup');
  const perEvent = rows.filter(counted).reduce((s, r) => s + Number(r.total), 0);
  const all = rows.reduce((s, r) => s + Number(r.total), 0);
  console.log(`\nbytes on disk (pg_total_relation_size over each table's partitions; rows: planner estimates after ANALYZE)`);
  console.log('| table | per event | total | of which indexes | rows | partitions | bytes per stored event | share |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const r of rows.filter((x) => counted(x) || Number(x.total) >= 1048576)) {
    const total = Number(r.total);
    const share = counted(r) ? `${((100 * total) / perEvent).toFixed(1)}%` : '-';
    console.log(
      `| ${r.name} | ${counted(r) ? 'yes' : 'no'} | ${mb(total)} | ${mb(Number(r.indexes))} | ${Math.round(Number(r.rows)).toLocaleString('en-US')} | ` +
        `${r.partitioned ? r.partitions : '-'} | ${(total / events).toFixed(1)} | ${share} |`,
    );
  }
  console.log(
    `\nper stored event: ${(perEvent / events).toFixed(1)} bytes (${mb(perEvent)} in the partitioned event and visit tables / ${events.toLocaleString('en-US')} events stored, all websites); ` +
      `every table of the database: ${(all / events).toFixed(1)} bytes`,
  );
}

// ---- Rollups ----------------------------------------------------------------------------------

/** Closed 15-minute slots marked changed and not yet rolled up (README, Operations). */
export async function rollupBacklog(c: Client): Promise<number> {
  return Number((await c.query("SELECT count(*) AS n FROM rollup_dirty WHERE slot < date_trunc('hour', now())")).rows[0].n);
}

/** Waits until the rollup job has rolled up every closed slot that received events; resolves to the seconds waited. */
export async function waitForRollups(url: string, signal: AbortSignal, what: string): Promise<number> {
  const t0 = performance.now();
  await withClient(url, async (c) => {
    let last = t0;
    for (let n = await rollupBacklog(c); n > 0; n = await rollupBacklog(c)) {
      signal.throwIfAborted();
      if (performance.now() - last > 10_000) {
        last = performance.now();
        console.log(`  ${what}: ${n.toLocaleString('en-US')} changed 15-minute slots still to roll up`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  });
  return (performance.now() - t0) / 1000;
}

export async function rollupSummary(c: Client): Promise<string> {
  const r = (
    await c.query(`SELECT (SELECT count(*) FROM rollup_days) AS days, (SELECT count(*) FROM rollup_values) AS values,
      pg_total_relation_size('rollup_days') + pg_total_relation_size('rollup_values') AS bytes`)
  ).rows[0];
  return `${Number(r.days).toLocaleString('en-US')} website-days, ${Number(r.values).toLocaleString('en-US')} value rows, ${mb(Number(r.bytes))}`;
}

/**
 * Starts a full rebuild as README's Operations describes it: every rollup table emptied and every
 * 15-minute slot holding events marked changed, in one transaction; the running rollup job does
 * the rest. Resolves to the slots marked.
 */
export async function startRollupRebuild(c: Client): Promise<number> {
  const tables = (
    await c.query(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname LIKE 'rollup%' AND c.relname <> 'rollup_dirty' ORDER BY 1`)
  ).rows.map((r) => r.relname as string);
  await c.query('BEGIN');
  try {
    await c.query(`TRUNCATE ${tables.map((t) => `"${t}"`).join(', ')}`);
    const marked = await c.query(markRollupsDirty('(SELECT website_id AS w, occurred_at AS t FROM events) AS e', '0'));
    await c.query('COMMIT');
    return marked.rowCount ?? 0;
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  }
}

// ---- auto_explain -----------------------------------------------------------------------------

const EXPLAIN_SETTINGS = ['log_min_duration', 'log_analyze', 'log_buffers', 'log_timing', 'log_format'];

/** auto_explain for sessions started from now on (Footfall restarts to pick it up); logs statements of `minMs` or more. */
export async function autoExplainOn(c: Client, minMs: number): Promise<void> {
  await c.query(`LOAD 'auto_explain'`);
  await c.query(`ALTER SYSTEM SET session_preload_libraries = 'auto_explain'`);
  const values: Record<string, string> = { log_min_duration: `${Math.max(0, Math.floor(minMs))}`, log_analyze: 'on', log_buffers: 'on', log_timing: 'on', log_format: 'text' };
  for (const s of EXPLAIN_SETTINGS) await c.query(`ALTER SYSTEM SET auto_explain.${s} = '${values[s]}'`);
  await c.query('SELECT pg_reload_conf()');
}

export async function autoExplainOff(c: Client): Promise<void> {
  const set = await c.query(`SELECT 1 FROM pg_file_settings WHERE name = 'session_preload_libraries' OR name LIKE 'auto_explain.%'`);
  if (!set.rowCount) return;
  await c.query(`LOAD 'auto_explain'`);
  await c.query('ALTER SYSTEM RESET session_preload_libraries');
  for (const s of EXPLAIN_SETTINGS) await c.query(`ALTER SYSTEM RESET auto_explain.${s}`);
  await c.query('SELECT pg_reload_conf()');
}

export interface LoggedPlan {
  ms: number;
  text: string;
}

/** auto_explain's entries in a stretch of the server log: each "duration: … plan:" line with its indented lines. */
export function plansIn(log: string): LoggedPlan[] {
  const out: LoggedPlan[] = [];
  let current: LoggedPlan | null = null;
  for (const line of log.split('\n')) {
    const m = /LOG:\s+duration: ([\d.]+) ms\s+plan:/.exec(line);
    if (m) {
      current = { ms: Number(m[1]), text: '' };
      out.push(current);
    } else if (current && /^\s/.test(line)) {
      current.text += `${line.replace(/^\t/, '')}\n`;
    } else {
      current = null;
    }
  }
  return out;
}
