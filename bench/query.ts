import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import {
  autoExplainOff,
  autoExplainOn,
  Database,
  openDatabase,
  plansIn,
  printSizes,
  rollupBacklog,
  rollupSummary,
  siteFacts,
  startRollupRebuild,
  waitForRollups,
  withClient,
} from './query-database';
import { call, createTenants, findTenant, giveUp, load, MEASURED_TZ } from './query-load';
import { buildProbes, estimated, measure, Outcome, PHASE_TITLES, PhaseName, printAccuracy, printPhase, printSummary, Probe, TARGETS_TEXT } from './query-probes';
import { PROPERTIES_EVENT } from './query-traffic';
import { childPids, freePort, pinToCore, spawnServer, startNodeOptions, stop } from './support';

const PHASES = ['fresh', 'rollups', 'raw', 'explain', 'rebuild'] as const;
type Step = (typeof PHASES)[number];

const USAGE = `npm run bench:query [-- options]

Loads synthetic traffic through the native batch API (POST /api/v1/events), then times the query
API in phases, each against issue 16's targets (p50 of several runs after a warm-up, sequential,
client-side; the warm-up's time is shown as "first"):

  fresh    right after the load, while the rollup job (every 5 s) is still catching up: < 1 s each
  rollups  once the rollups have caught up (ROLLUP_MIN_EVENTS=0): unfiltered stats, breakdowns and
           series < 100 ms; the others as on the raw path
  raw      Footfall restarted with ROLLUP_MIN_EVENTS=${Number.MAX_SAFE_INTEGER} (no range holds that many rolled-up
           events, so every query reads raw events) and ROLLUP_INTERVAL_MS=0: 30 d < 500 ms
           (funnel < 1 s), 90 d < 1.5 s
  explain  EXPLAIN (ANALYZE, BUFFERS) of the slowest raw-path probe's slowest statement, from
           auto_explain (embedded Postgres only; needs raw)
  rebuild  a full rollup rebuild, timed (target < 2 min at 10M events)

Then bytes on disk per stored event. Probes, each over the last 30 and 90 days of the load: stats;
stats filtered by page contains, by country is, by source is AND device is (v2); a page breakdown
filtered by country; a country x device breakdown (v2); goal conversion rates by source (v2); a
4-step funnel; and the unfiltered breakdowns and daily series rollups answer.

Traffic: the measured website gets --events events over 90 days (ending now); 20 other websites,
in 4 other organizations, get --events/10 between them. See bench/query-traffic.ts for the model.

Options:
  --events N          events of the measured website (default 1000000; 10000000 is the large run)
  --phases LIST       comma-separated, of ${PHASES.join(', ')} (default: all; fresh only with a load)
  --concurrency N     batch requests in flight while loading (default 8)
  --runs N            timed runs per probe, after one warm-up (default 5)
  --database-url URL  use this PostgreSQL server instead of an embedded one. A fresh database is
                      created on it for the run (and dropped at the end unless --keep); with
                      --skip-load, URL must name the database of an earlier --keep run.
  --data-dir DIR      embedded Postgres data folder (default: a new temporary one); with --skip-load,
                      the folder printed by an earlier --keep run.
  --pin               Footfall and its (embedded) Postgres on core 1, this load generator on core 0
                      (taskset), as a small server would see it; said in the output
  --keep              keep the loaded database (prints how to measure it again)
  --skip-load         measure an already loaded database (needs --database-url or --data-dir)
  --seed N            traffic model seed (default 1)
  --max-minutes N     give up (and clean up) after this long (default 180)

Large run, loaded once and measured repeatedly:
  npm run bench:query -- --events 10000000 --keep --pin        (prints the data folder)
  npm run bench:query -- --skip-load --data-dir <printed folder> --pin --phases raw,explain

Every request goes to 127.0.0.1. Exits non-zero when any probe answers non-2xx (or fails).`;

// ---- Options ----------------------------------------------------------------------------------

const FLAGS = new Set(['keep', 'skip-load', 'pin', 'help']);
const VALUES = new Set(['events', 'concurrency', 'runs', 'database-url', 'data-dir', 'seed', 'max-minutes', 'phases']);

function parseArgs(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m || (!FLAGS.has(m[1]) && !VALUES.has(m[1]))) throw new Error(`unknown argument "${argv[i]}"\n\n${USAGE}`);
    if (FLAGS.has(m[1])) out.set(m[1], 'true');
    else if (m[2] !== undefined) out.set(m[1], m[2]);
    else if (i + 1 < argv.length) out.set(m[1], argv[++i]);
    else throw new Error(`--${m[1]} needs a value`);
  }
  return out;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function positive(args: Map<string, string>, name: string, def: number): number {
  const raw = args.get(name);
  if (raw === undefined) return def;
  const v = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(v) || v < 1) fail(`--${name} must be a whole number >= 1 (got "${raw}")`);
  return v;
}

let args: Map<string, string>;
try {
  args = parseArgs(process.argv.slice(2));
} catch (err) {
  fail((err as Error).message);
}
if (args.has('help')) {
  console.log(USAGE);
  process.exit(0);
}
const EVENTS = positive(args, 'events', 1_000_000);
const CONCURRENCY = positive(args, 'concurrency', 8);
const RUNS = positive(args, 'runs', 5);
const SEED = positive(args, 'seed', 1);
const MAX_MINUTES = positive(args, 'max-minutes', 180);
const DATABASE_URL = args.get('database-url') ?? null;
const DATA_DIR = args.get('data-dir') ?? null;
const KEEP = args.has('keep');
const SKIP_LOAD = args.has('skip-load');
const PIN = args.has('pin');
if (SKIP_LOAD && !DATABASE_URL && !DATA_DIR) fail('--skip-load needs --database-url or --data-dir of a loaded database');
if (DATABASE_URL && DATA_DIR) fail('--database-url and --data-dir exclude each other');
const STEPS = new Set<Step>(
  (args.get('phases') ?? PHASES.filter((p) => p !== 'fresh' || !SKIP_LOAD).join(',')).split(',').map((s) => {
    if (!(PHASES as readonly string[]).includes(s.trim())) fail(`--phases: unknown phase "${s}" (phases: ${PHASES.join(', ')})`);
    return s.trim() as Step;
  }),
);
if (STEPS.has('fresh') && SKIP_LOAD) fail('--phases fresh needs a load in the same run (rollups are caught up in a loaded database)');
if (STEPS.has('explain') && !STEPS.has('raw')) fail('--phases explain needs raw in the same run');

const DAYS = 90;
const QUERY_TIMEOUT_MS = 180_000;

// ---- Footfall processes -----------------------------------------------------------------------

/** Settings of each Footfall the run starts, on top of the common ones. */
const ENV = {
  rollups: { ROLLUP_INTERVAL_MS: '5000', ROLLUP_MIN_EVENTS: '0' },
  raw: { ROLLUP_INTERVAL_MS: '0', ROLLUP_MIN_EVENTS: String(Number.MAX_SAFE_INTEGER) },
  rebuild: { ROLLUP_INTERVAL_MS: '1000', ROLLUP_MIN_EVENTS: '0' },
};
const describeEnv = (env: Record<string, string>) => Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ');

/** The running Footfall, for the watchdog's last resort. */
let server: ChildProcess | null = null;
const JWT_SECRET = randomBytes(32).toString('base64url');

/** Stops the running Footfall (if any) and starts one with `env`; resolves to its base URL. */
async function startFootfall(db: Database, env: Record<string, string>): Promise<string> {
  if (server) await stop(server);
  server = null;
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  server = await spawnServer(
    path.join(__dirname, '..', 'src', 'main.js'),
    [],
    {
      NODE_ENV: 'production',
      JWT_SECRET,
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      // Limits off: the native API's rate limit and the organizations' monthly quota; slow raw
      // queries are timed rather than cut at the default 30 s.
      NATIVE_RATE_LIMIT_PER_MINUTE: '0',
      MONTHLY_EVENT_QUOTA: '0',
      QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
      ...env,
    },
    `${base}/health`,
    startNodeOptions(),
  );
  pin(db);
  return base;
}

/** --pin: Footfall, its workers and Postgres' processes on core 1; this process on core 0 (new backends inherit the postmaster's). */
function pin(db: Database): void {
  if (!PIN || !server) return;
  pinToCore([process.pid], 0);
  pinToCore([server.pid!, ...childPids(server.pid!), ...db.pids()], 1);
}

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

// ---- Phases -----------------------------------------------------------------------------------

interface Run {
  db: Database;
  websiteId: string;
  key: string;
  lastDay: string;
}

async function probePhase(run: Run, base: string, phase: PhaseName): Promise<Outcome[]> {
  let probes = buildProbes(base, run.websiteId, run.lastDay);
  // Right after the load, the probes rollups answer go first, while their backlog is largest.
  if (phase === 'fresh') probes = [...probes.filter((p) => p.rolledUp), ...probes.filter((p) => !p.rolledUp)];
  console.log(`\n== ${PHASE_TITLES[phase]}: p50 of ${RUNS} runs after one warm-up, one request at a time`);
  const outcomes: Outcome[] = [];
  for (const p of probes) {
    giveUp.signal.throwIfAborted();
    const backlog = phase === 'fresh' ? await withClient(run.db.url, rollupBacklog) : undefined;
    const o = { ...(await measure(p, RUNS, (method, url, body) => call(method, url, { token: run.key, body, timeoutMs: QUERY_TIMEOUT_MS }))), backlog };
    outcomes.push(o);
    console.log(`  ${p.name} ${p.days} d: ${o.error ? 'ERROR' : `${o.p50!.toFixed(0)} ms`}`);
  }
  printPhase(phase, outcomes);
  return outcomes;
}

/** The slowest raw-path probe run again with auto_explain on; prints its slowest statement's plan. */
async function explainSlowest(run: Run, raw: Outcome[]): Promise<void> {
  const slowest = raw.filter((o) => !o.error).sort((a, b) => b.p50! - a.p50!)[0];
  console.log(`\n== EXPLAIN (ANALYZE, BUFFERS) of the slowest raw-path probe: ${slowest ? `${slowest.probe.name} ${slowest.probe.days} d (p50 ${slowest.p50!.toFixed(0)} ms)` : 'none'}`);
  if (!slowest) return;
  if (!run.db.captureLog) {
    console.log('  (only with the embedded Postgres, whose log this run reads)');
    return;
  }
  let log = '';
  const minMs = Math.min(10, slowest.p50! / 4);
  await withClient(run.db.url, (c) => autoExplainOn(c, minMs));
  try {
    // A new Footfall: its connections start with auto_explain loaded.
    const base = await startFootfall(run.db, ENV.raw);
    const probe: Probe = buildProbes(base, run.websiteId, run.lastDay).find((p) => p.name === slowest.probe.name && p.days === slowest.probe.days)!;
    await measure(probe, 0, (method, url, body) => call(method, url, { token: run.key, body, timeoutMs: QUERY_TIMEOUT_MS }));
    const end = run.db.captureLog((text) => (log += text));
    const r = await measure(probe, 0, (method, url, body) => call(method, url, { token: run.key, body, timeoutMs: QUERY_TIMEOUT_MS }));
    await new Promise((res) => setTimeout(res, 500));
    end();
    const plans = plansIn(log).sort((a, b) => b.ms - a.ms);
    console.log(
      `auto_explain (log_analyze, log_buffers, log_timing; statements of ${minMs.toFixed(1)} ms or more) during one more run of it (${r.first?.toFixed(0) ?? '-'} ms with auto_explain's timing); ` +
        `its statements: ${plans.map((p) => `${p.ms.toFixed(1)} ms`).join(', ') || 'none logged'}`,
    );
    if (plans[0]) console.log(`\nthe slowest statement (${plans[0].ms.toFixed(1)} ms):\n${plans[0].text}`);
  } finally {
    await withClient(run.db.url, autoExplainOff);
  }
}

async function rebuildRollups(run: Run): Promise<void> {
  console.log(`\n== full rollup rebuild (target < 2 min at 10M events): Footfall restarted with ${describeEnv(ENV.rebuild)}`);
  await startFootfall(run.db, ENV.rebuild);
  const t0 = performance.now();
  const marked = await withClient(run.db.url, startRollupRebuild);
  const markedS = (performance.now() - t0) / 1000;
  console.log(`  rollup tables emptied and ${marked.toLocaleString('en-US')} 15-minute slots holding events marked changed in ${markedS.toFixed(1)} s (one transaction)`);
  const waited = await waitForRollups(run.db.url, giveUp.signal, 'rebuild');
  const summary = await withClient(run.db.url, rollupSummary);
  const total = markedS + waited;
  console.log(`full rollup rebuild: ${total.toFixed(1)} s (marking ${markedS.toFixed(1)} s, the rollup job ${waited.toFixed(1)} s, polled every 250 ms): ${summary}`);
}

// ---- Main -------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const started = Date.now();
  const db = await openDatabase({ databaseUrl: DATABASE_URL, dataDir: DATA_DIR, keep: KEEP, skipLoad: SKIP_LOAD, pin: PIN });
  const results: Partial<Record<PhaseName, Outcome[]>> = {};
  try {
    let base = await startFootfall(db, ENV.rollups);
    if (PIN) {
      const pg = db.pids().length ? ' and its Postgres' : " (Postgres is --database-url's server: not pinned)";
      console.log(`pinned: Footfall${pg} on core 1, this load generator on core 0 (taskset; every Footfall this run starts is pinned the same way)`);
    } else console.log('not pinned (--pin puts Footfall and its Postgres on core 1, the load generator on core 0)');
    console.log(`phases: ${[...STEPS].join(', ')}; targets: ${TARGETS_TEXT.join('; ')}`);
    console.log(`Footfall for the load, "right after load" and "with rollups": ${describeEnv(ENV.rollups)}`);

    if (!SKIP_LOAD) {
      const tenants = await createTenants(base, EVENTS);
      // Past timestamps only: the traffic ends a minute before the load starts.
      await load(base, tenants, { end: Date.now() - 60_000, days: DAYS, seed: SEED, concurrency: CONCURRENCY });
    }
    const { websiteId, key } = await findTenant(base, PROPERTIES_EVENT);
    const facts = await withClient(db.url, (c) => siteFacts(c, websiteId));
    if (!SKIP_LOAD && facts.events !== EVENTS) throw new Error(`expected ${EVENTS} stored events of the measured site, found ${facts.events}`);
    const lastDay = new Intl.DateTimeFormat('en-CA', { timeZone: MEASURED_TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(facts.last);
    const run: Run = { db, websiteId, key, lastDay };
    const day = (d: Date) => d.toISOString().slice(0, 10);
    console.log(
      `measured site: ${facts.events.toLocaleString('en-US')} events, ${day(facts.first)} .. ${day(facts.last)}; all websites: ${facts.allEvents.toLocaleString('en-US')} events; ` +
        `ranges end ${lastDay} (${MEASURED_TZ}); PostgreSQL ${facts.version}, shared_buffers ${facts.sharedBuffers}, work_mem ${facts.workMem} (Footfall sets its own for raw queries), max_parallel_workers_per_gather ${facts.parallelWorkers}`,
    );

    if (STEPS.has('fresh')) {
      const backlog = await withClient(db.url, rollupBacklog);
      console.log(`\nrollup backlog right after the load: ${backlog.toLocaleString('en-US')} changed 15-minute slots (the job keeps running during the probes)`);
      results.fresh = await probePhase(run, base, 'fresh');
      console.log(`rollup backlog after the probes: ${(await withClient(db.url, rollupBacklog)).toLocaleString('en-US')} slots`);
    }
    if (!SKIP_LOAD || STEPS.has('rollups')) {
      const waited = await waitForRollups(db.url, giveUp.signal, 'waiting for rollups');
      console.log(`\nrollups caught up (waited ${waited.toFixed(1)} s): ${await withClient(db.url, rollupSummary)}`);
    }
    if (!SKIP_LOAD) {
      const t0 = performance.now();
      await withClient(db.url, (c) => c.query('VACUUM ANALYZE'));
      console.log(`VACUUM ANALYZE: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    await withClient(db.url, (c: Client) => printSizes(c));
    if (STEPS.has('rollups')) {
      results.rollups = await probePhase(run, base, 'rollups');
      console.log(`Footfall peak RSS (VmHWM) so far: ${peakRssMb(server!.pid!)} MB`);
    }

    if (STEPS.has('raw')) {
      console.log(`\nraw path: Footfall restarted with ${describeEnv(ENV.raw)}: no range holds that many rolled-up events, so every query reads raw events`);
      base = await startFootfall(db, ENV.raw);
      results.raw = await probePhase(run, base, 'raw');
      const rolled = results.raw.filter((o) => estimated(o.sample));
      if (rolled.length) console.log(`WARNING: ${rolled.length} raw-path answers say they came from rollups: ${rolled.map((o) => `${o.probe.name} ${o.probe.days} d`).join(', ')}`);
      console.log(`Footfall peak RSS (VmHWM), raw path: ${peakRssMb(server!.pid!)} MB`);
    }
    if (STEPS.has('explain') && results.raw) await explainSlowest(run, results.raw);
    if (STEPS.has('rebuild')) await rebuildRollups(run);

    printSummary(results);
    if (results.rollups && results.raw) printAccuracy(results.rollups, results.raw);
    if (KEEP || SKIP_LOAD) console.log(`\nkept the database; measure it again with: npm run bench:query -- ${db.again}${PIN ? ' --pin' : ''}`);
    console.log(`total time ${((Date.now() - started) / 60000).toFixed(1)} min`);
    return Object.values(results).some((outs) => outs!.some((o) => o.error)) ? 1 : 0;
  } finally {
    if (server) await stop(server).catch(() => undefined);
    server = null;
    await db.close();
  }
}

const watchdog = setTimeout(() => {
  console.error(`giving up after --max-minutes ${MAX_MINUTES}`);
  giveUp.abort(new Error(`--max-minutes ${MAX_MINUTES} exceeded`));
  // Requests stop at once; a database statement may not. Last resort after two more minutes.
  setTimeout(() => {
    server?.kill('SIGKILL');
    process.exit(1);
  }, 120_000).unref();
}, MAX_MINUTES * 60_000);
process.once('SIGINT', () => giveUp.abort(new Error('interrupted')));

main()
  .then((code) => {
    clearTimeout(watchdog);
    process.exit(code);
  })
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
