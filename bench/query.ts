import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { runMigrations } from '../src/database/migrator';
import { FUNNEL_STEPS, liveEvents, PROP_KEY, PROPERTIES_EVENT, TrafficSite, trafficBatches } from './query-traffic';
import { childPids, freePort, pinToCore, postgresPids, spawnServer, startNodeOptions, stop } from './support';

const USAGE = `npm run bench:query [-- options]

Loads synthetic traffic through the native batch API (POST /api/v1/events, 500 events per request,
several requests in flight), so enrichment, sessions and partitions are what production does, then
times the query API (median of several runs after a warm-up) and prints it against the targets.

Traffic: the measured website gets --events events over 90 days (ending now); 20 other websites,
in 4 other organizations, get --events/10 between them (a few large, many small), loaded alongside
in the same time order. Visitors come back over days (stable visitor_id), visits have 1..8
pageviews less than 30 minutes apart, ~15% of events are custom events with props, ~3% of visits
are bots. See bench/query-traffic.ts for the model. Right before timing realtime, 300 pageviews
of the last 4 minutes are posted, so that endpoint has someone to count.

Queries are timed once the daily rollups have caught up with the load (the rollup job runs every
5 s here); the table says which answers carry estimated visitors (from rollups) and which are
exact (raw events, or rollup counts that need no estimate, as the custom-event queries).

Targets (p50): stats < 150 ms, breakdowns, time series and custom event queries < 300 ms, a
4-step funnel over 30 days < 1 s; the 90-day funnel and realtime are reported without a target.

Options:
  --events N          events of the measured website (default 1000000; 10000000 is the large run)
  --concurrency N     batch requests in flight while loading (default 8)
  --runs N            timed runs per query, after one warm-up (default 5)
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
  --max-minutes N     give up (and clean up) after this long (default 120)

Large run, loaded once (about 13 minutes on 2 vCPUs) and measured repeatedly:
  npm run bench:query -- --events 10000000 --keep          (prints the data folder)
  npm run bench:query -- --skip-load --data-dir <printed folder>
or on a PostgreSQL server (15 or later):
  npm run bench:query -- --events 10000000 --keep --database-url postgres://postgres@127.0.0.1:5432/postgres
  npm run bench:query -- --skip-load --database-url postgres://postgres@127.0.0.1:5432/<printed database>

Every request goes to 127.0.0.1. Exits non-zero when any query answers non-2xx (or fails).`;

// ---- Options ----------------------------------------------------------------------------------

const FLAGS = new Set(['keep', 'skip-load', 'pin', 'help']);
const VALUES = new Set(['events', 'concurrency', 'runs', 'database-url', 'data-dir', 'seed', 'max-minutes']);

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
  console.error((err as Error).message);
  process.exit(2);
}
if (args.has('help')) {
  console.log(USAGE);
  process.exit(0);
}
const EVENTS = positive(args, 'events', 1_000_000);
const CONCURRENCY = positive(args, 'concurrency', 8);
const RUNS = positive(args, 'runs', 5);
const SEED = positive(args, 'seed', 1);
const MAX_MINUTES = positive(args, 'max-minutes', 120);
const DATABASE_URL = args.get('database-url') ?? null;
const DATA_DIR = args.get('data-dir') ?? null;
const KEEP = args.has('keep');
const SKIP_LOAD = args.has('skip-load');
const PIN = args.has('pin');
if (SKIP_LOAD && !DATABASE_URL && !DATA_DIR) fail('--skip-load needs --database-url or --data-dir of a loaded database');
if (DATABASE_URL && DATA_DIR) fail('--database-url and --data-dir exclude each other');

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const DAYS = 90;
const BATCH = 500;
const OTHER_ORGS = 4;
const OTHER_SITES = 20;
const LIVE_EVENTS = 300;
/** The bench tenant: fixed, so --skip-load can sign in again. */
const EMAIL = 'query-bench@example.com';
const PASSWORD = 'query benchmark password';
const MEASURED_NAME = 'Query bench: measured site';
const MEASURED_HOST = 'measured.example.com';
const MEASURED_TZ = 'Europe/Berlin';
const INGEST_TIMEOUT_MS = 120_000;
const QUERY_TIMEOUT_MS = 120_000;

/** Aborted at --max-minutes or on Ctrl-C: every request and wait gives up. */
const giveUp = new AbortController();

// ---- HTTP -------------------------------------------------------------------------------------

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${body.slice(0, 2000)}`);
  }
}

async function call(method: string, url: string, opts: { token?: string; body?: unknown; raw?: string; timeoutMs?: number } = {}): Promise<{ status: number; text: string; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url, {
    method,
    headers: {
      ...(opts.body !== undefined || opts.raw !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    signal: AbortSignal.any([giveUp.signal, AbortSignal.timeout(opts.timeoutMs ?? 30_000)]),
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - t0 };
}

async function json<T = Record<string, unknown>>(method: string, url: string, opts: { token?: string; body?: unknown } = {}): Promise<T> {
  const r = await call(method, url, opts);
  if (r.status < 200 || r.status >= 300) throw new HttpError(r.status, r.text, `${method} ${url.replace(/^http:\/\/[^/]+/, '')}`);
  return JSON.parse(r.text) as T;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- Database ---------------------------------------------------------------------------------

interface Database {
  url: string;
  /** The embedded server's processes (none for --database-url's server). */
  pids(): number[];
  /** How to measure this database again, when kept. */
  again: string;
  close(): Promise<void>;
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function openDatabase(): Promise<Database> {
  if (DATABASE_URL) {
    if (SKIP_LOAD) {
      await runMigrations(DATABASE_URL);
      return { url: DATABASE_URL, again: `--skip-load --database-url ${DATABASE_URL}`, pids: () => [], close: async () => undefined };
    }
    const name = `footfall_bench_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
    await withClient(DATABASE_URL, (c) => c.query(`CREATE DATABASE ${name}`));
    const url = new URL(DATABASE_URL);
    url.pathname = `/${name}`;
    await runMigrations(url.toString());
    console.log(`created database ${name}`);
    return {
      url: url.toString(),
      again: `--skip-load --database-url ${url.toString()}`,
      pids: () => [],
      close: async () => {
        if (KEEP) return;
        await withClient(DATABASE_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
        console.log(`dropped database ${name}`);
      },
    };
  }
  const fresh = !DATA_DIR;
  const dir = DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'footfall-query-bench-'));
  if (SKIP_LOAD && !existsSync(path.join(dir, 'postgres'))) throw new Error(`--data-dir ${dir} holds no database of an earlier --keep run`);
  mkdirSync(dir, { recursive: true });
  // Postgres may run as another user (when started as root); it needs to reach its folder.
  chmodSync(dir, 0o755);
  const pg: EmbeddedPostgresHandle = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: KEEP || SKIP_LOAD });
  await runMigrations(pg.url);
  return {
    url: pg.url,
    again: `--skip-load --data-dir ${dir}`,
    pids: () => postgresPids(dir),
    close: async () => {
      await pg.stop();
      if (!KEEP && !SKIP_LOAD && fresh) rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- Tenants ----------------------------------------------------------------------------------

interface Tenants {
  measured: TrafficSite;
  sites: TrafficSite[];
  /** Key per key index: [0] ingest+read for the measured organization, then one per other organization. */
  keys: string[];
}

async function createTenants(base: string): Promise<Tenants> {
  const signup = await json(`POST`, `${base}/api/auth/signup`, { body: { email: EMAIL, password: PASSWORD, organization_name: 'Measured tenant' } });
  const token = signup.access_token as string;
  const org0 = (signup.organization as { id: string }).id;
  const site = (name: string, domain: string, organization_id: string, timezone = 'UTC') =>
    json(`POST`, `${base}/api/websites`, { token, body: { name, domain, organization_id, timezone } }).then((r) => r.id as string);
  const key = (organization_id: string, scopes: string[]) =>
    json(`POST`, `${base}/api/api-keys`, { token, body: { name: 'query bench', organization_id, scopes } }).then((r) => r.key as string);

  const measured: TrafficSite = { websiteId: await site(MEASURED_NAME, MEASURED_HOST, org0, MEASURED_TZ), host: MEASURED_HOST, keyIndex: 0, events: EVENTS };
  const keys = [await key(org0, ['ingest', 'read'])];
  // The other tenants' traffic: N/10 in total, shared unevenly (site i gets a share ~ 1/(i+1)).
  const shares = Array.from({ length: OTHER_SITES }, (_, i) => 1 / (i + 1));
  const sum = shares.reduce((a, b) => a + b, 0);
  const otherTotal = Math.floor(EVENTS / 10);
  const otherEvents = shares.map((x) => Math.max(1, Math.floor((otherTotal * x) / sum)));
  otherEvents[0] += Math.max(0, otherTotal - otherEvents.reduce((a, b) => a + b, 0));
  const sites: TrafficSite[] = [measured];
  for (let o = 0; o < OTHER_ORGS; o++) {
    const org = await json(`POST`, `${base}/api/organizations`, { token, body: { name: `Other tenant ${o + 1}` } });
    keys.push(await key(org.id as string, ['ingest']));
    for (let i = o; i < OTHER_SITES; i += OTHER_ORGS) {
      const host = `site${i + 1}.tenant${o + 1}.example.org`;
      sites.push({ websiteId: await site(`Other site ${i + 1}`, host, org.id as string), host, keyIndex: o + 1, events: otherEvents[i] });
    }
  }
  return { measured, sites, keys };
}

/** --skip-load: signs in as the bench tenant, finds its measured site and makes a new key. */
async function findTenant(base: string): Promise<{ measured: TrafficSite; key: string }> {
  const login = await json(`POST`, `${base}/api/auth/login`, { body: { email: EMAIL, password: PASSWORD } });
  const token = login.access_token as string;
  const list = await json<{ data: { id: string; name: string; organization_id: string }[] }>('GET', `${base}/api/websites`, { token });
  const site = list.data.find((w) => w.name === MEASURED_NAME);
  if (!site) throw new Error('this database holds no measured site of an earlier run');
  const created = await json(`POST`, `${base}/api/api-keys`, { token, body: { name: 'query bench (re-run)', organization_id: site.organization_id, scopes: ['ingest', 'read'] } });
  return { measured: { websiteId: site.id, host: MEASURED_HOST, keyIndex: 0, events: 0 }, key: created.key as string };
}

// ---- Loading ----------------------------------------------------------------------------------

async function postBatch(base: string, key: string, body: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const r = await call('POST', `${base}/api/v1/events`, { token: key, raw: body, timeoutMs: INGEST_TIMEOUT_MS });
    if (r.status === 202) return r.ms;
    // Load shedding and rate limits ask to come back later; anything else is a failure.
    if ((r.status === 503 || r.status === 429) && attempt < 10) {
      await sleep(Math.min(5_000, 250 * attempt));
      continue;
    }
    throw new HttpError(r.status, r.text, 'POST /api/v1/events');
  }
}

async function load(base: string, t: Tenants, end: number): Promise<void> {
  const total = t.sites.reduce((s, x) => s + x.events, 0);
  console.log(
    `loading ${total.toLocaleString('en-US')} events: ${EVENTS.toLocaleString('en-US')} for the measured site, ` +
      `${(total - EVENTS).toLocaleString('en-US')} for ${OTHER_SITES} other sites in ${OTHER_ORGS} other organizations, ` +
      `over ${DAYS} days, ${BATCH} per request, ${CONCURRENCY} requests in flight`,
  );
  const batches = trafficBatches(t.sites, { end, days: DAYS, seed: SEED, batchSize: BATCH });
  let sent = 0;
  let requests = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  let lastReport = t0;
  const worker = async () => {
    for (;;) {
      const next = batches.next();
      if (next.done) return;
      const b = next.value;
      latencies.push(await postBatch(base, t.keys[b.keyIndex], b.body));
      sent += b.events;
      requests++;
      const now = performance.now();
      if (now - lastReport > 10_000) {
        lastReport = now;
        console.log(`  ${sent.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} events, ${Math.round(sent / ((now - t0) / 1000)).toLocaleString('en-US')} events/s`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]);
  console.log(
    `\nload: ${sent.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s = ${Math.round(sent / seconds).toLocaleString('en-US')} events/s ` +
      `(${requests} requests; request p50 ${q(0.5)} ms, p99 ${q(0.99)} ms)`,
  );
}

// ---- Measuring --------------------------------------------------------------------------------

interface Probe {
  endpoint: string;
  range: string;
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
  /** p50 target in ms; null: reported only. */
  target: number | null;
  /** Runs before the warm-up. */
  before?: () => Promise<unknown>;
}

interface Outcome {
  probe: Probe;
  p50: number | null;
  max: number | null;
  error: string | null;
  sample: unknown;
}

const STATS_MS = 150;
const BREAKDOWN_MS = 300;
const FUNNEL_MS = 1000;

function dayIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
function minusDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

function probes(base: string, websiteId: string, lastDay: string, live: () => Promise<unknown>): Probe[] {
  const site = `${base}/api/websites/${encodeURIComponent(websiteId)}`;
  const out: Probe[] = [];
  const ranges = [30, 90].map((days) => ({ label: `${days} d`, days, qs: `start_date=${minusDays(lastDay, days - 1)}&end_date=${lastDay}` }));
  const get = (endpoint: string, pathAndQuery: string, target: number | null, days: number[] = [30, 90]) => {
    for (const r of ranges.filter((x) => days.includes(x.days))) {
      const sep = pathAndQuery.includes('?') ? '&' : '?';
      out.push({ endpoint, range: r.label, method: 'GET', url: `${site}${pathAndQuery}${sep}${r.qs}`, target });
    }
  };
  get('stats', '/stats', STATS_MS);
  get('stats filter[page]=contains:/blog', `/stats?${encodeURIComponent('filter[page]')}=${encodeURIComponent('contains:/blog')}`, STATS_MS);
  for (const d of ['page', 'referrer_domain', 'country', 'browser', `prop:${PROP_KEY}`]) get(`breakdown/${d}`, `/breakdown/${encodeURIComponent(d)}`, BREAKDOWN_MS);
  get('timeseries pageviews/day', '/timeseries?metric=pageviews&granularity=day', BREAKDOWN_MS);
  get('timeseries visitors/day', '/timeseries?metric=visitors&granularity=day', BREAKDOWN_MS);
  get('events', '/events', BREAKDOWN_MS);
  get(`events/properties (${PROPERTIES_EVENT})`, `/events/properties?event_name=${PROPERTIES_EVENT}`, BREAKDOWN_MS);
  get(`events/timeseries (${PROPERTIES_EVENT})`, `/events/timeseries?event_name=${PROPERTIES_EVENT}&granularity=day`, BREAKDOWN_MS);
  const funnel = { steps: FUNNEL_STEPS.map((s) => ({ type: s.type, value: s.value })) };
  const name = `funnel ${FUNNEL_STEPS.map((s) => s.value).join(' > ')}`;
  for (const r of ranges) out.push({ endpoint: name, range: r.label, method: 'POST', url: `${site}/funnels/query?${r.qs}`, body: funnel, target: r.days === 30 ? FUNNEL_MS : null });
  // Plausible's Stats API v2: one filtered query, one with two dimensions, one with a goal.
  const v2 = (endpoint: string, query: Record<string, unknown>, before?: () => Promise<unknown>) => {
    for (const r of ranges.filter((x) => x.days === 30)) {
      const body = { site_id: websiteId, date_range: [minusDays(lastDay, r.days - 1), lastDay], ...query };
      out.push({ endpoint: `v2 ${endpoint}`, range: r.label, method: 'POST', url: `${base}/api/v2/query`, body, target: BREAKDOWN_MS, before });
    }
  };
  v2('filtered: visitors, visits, bounce_rate by entry page, country is + page contains', {
    metrics: ['visitors', 'visits', 'bounce_rate'],
    dimensions: ['visit:entry_page'],
    filters: [['is', 'visit:country', ['DE', 'FR']], ['contains', 'event:page', ['/blog']]],
    pagination: { limit: 10 },
  });
  v2('two dimensions: visitors, pageviews by source x device', { metrics: ['visitors', 'pageviews'], dimensions: ['visit:source', 'visit:device'], pagination: { limit: 20 } });
  const goal = async () => {
    const login = await json(`POST`, `${base}/api/auth/login`, { body: { email: EMAIL, password: PASSWORD } });
    const r = await call('POST', `${base}/api/websites/${encodeURIComponent(websiteId)}/goals`, { token: login.access_token as string, body: { goal_type: 'event', event_name: PROPERTIES_EVENT } });
    if (r.status !== 201 && r.status !== 409) throw new Error(`creating the goal: HTTP ${r.status} ${r.text}`);
  };
  v2(`goal: visitors, conversion_rate of "${PROPERTIES_EVENT}" by source`, { metrics: ['visitors', 'conversion_rate', 'group_conversion_rate'], dimensions: ['visit:source'], filters: [['is', 'event:goal', [PROPERTIES_EVENT]]] }, goal);
  // Last: its live events would otherwise count in the other queries.
  out.push({ endpoint: 'realtime', range: 'last 5 min', method: 'GET', url: `${site}/realtime`, target: null, before: live });
  return out;
}

async function measure(p: Probe, key: string): Promise<Outcome> {
  const times: number[] = [];
  let sample: unknown = null;
  try {
    await p.before?.();
    for (let i = 0; i <= RUNS; i++) {
      const r = await call(p.method, p.url, { token: key, body: p.body, timeoutMs: QUERY_TIMEOUT_MS });
      if (r.status < 200 || r.status >= 300) return { probe: p, p50: null, max: null, error: `HTTP ${r.status} ${r.text.slice(0, 1000)}`, sample: null };
      if (i === 0) sample = JSON.parse(r.text);
      else times.push(r.ms);
    }
  } catch (err) {
    if (giveUp.signal.aborted) throw err;
    return { probe: p, p50: null, max: null, error: (err as Error).message, sample: null };
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const p50 = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { probe: p, p50, max: times[times.length - 1], error: null, sample };
}

function printTable(outcomes: Outcome[]): void {
  console.log('\n| endpoint | range | p50 ms | max ms | target p50 | result | visitors |');
  console.log('|---|---|---:|---:|---|---|---|');
  for (const o of outcomes) {
    const target = o.probe.target === null ? '-' : `< ${o.probe.target} ms`;
    const result = o.error ? 'ERROR' : o.probe.target === null ? '-' : o.p50! < o.probe.target ? 'PASS' : 'MISS';
    const ms = (v: number | null) => (v === null ? '-' : v.toFixed(1));
    const source = o.error ? '-' : (o.sample as { estimated?: boolean } | null)?.estimated ? 'estimated (rollups)' : 'exact';
    console.log(`| ${o.probe.endpoint} | ${o.probe.range} | ${ms(o.p50)} | ${ms(o.max)} | ${target} | ${result} | ${source} |`);
  }
  const judged = outcomes.filter((o) => !o.error && o.probe.target !== null);
  const passed = judged.filter((o) => o.p50! < o.probe.target!).length;
  console.log(`\ntargets: ${passed} PASS, ${judged.length - passed} MISS; errors: ${outcomes.filter((o) => o.error).length}`);
  const errors = outcomes.filter((o) => o.error);
  for (const o of errors) console.log(`\nERROR ${o.probe.method} ${o.probe.url.replace(/^http:\/\/[^/]+/, '')}\n  ${o.error}`);
}

/** A few figures from the answers, to see the data is what the model intends. */
function printSamples(outcomes: Outcome[]): void {
  const find = (prefix: string, range = '30 d') => outcomes.find((o) => o.probe.endpoint.startsWith(prefix) && o.probe.range === range)?.sample as Record<string, any> | null | undefined;
  const stats = find('stats');
  if (stats?.pageviews) {
    console.log(
      `\nstats, 30 d: ${stats.pageviews.value} pageviews, ${stats.visitors.value} visitors, ${stats.sessions.value} visits, ` +
        `bounce rate ${stats.bounce_rate.value}, ${stats.views_per_session.value} views per visit, average visit ${stats.avg_session_duration.value} s`,
    );
  }
  const funnel = find('funnel');
  if (Array.isArray(funnel?.steps)) console.log(`funnel, 30 d: ${funnel!.steps.map((s: { value: string; visitors: number }) => `${s.value} ${s.visitors}`).join(' > ')}`);
  const top = (prefix: string) => {
    const d = find(prefix)?.data;
    if (Array.isArray(d)) console.log(`${prefix}, 30 d: ${d.slice(0, 5).map((r: { value: string | null; visitors: number }) => `${r.value ?? '(none)'} ${r.visitors}`).join(', ')}`);
  };
  ['breakdown/page', 'breakdown/referrer_domain', 'breakdown/country', 'breakdown/browser', `breakdown/prop:${PROP_KEY}`].forEach(top);
  const names = find('events')?.data;
  if (Array.isArray(names)) console.log(`events, 30 d: ${names.map((r: { event_name: string; count: number }) => `${r.event_name} ${r.count}`).join(', ')}`);
  const live = find('realtime', 'last 5 min');
  if (live) console.log(`realtime: ${live.visitors} visitors`);
}

/**
 * Estimated visitors (answers from rollups) against an exact count over the same period, leaving
 * out the live events posted for realtime after the estimates were taken.
 */
async function printAccuracy(c: Client, outcomes: Outcome[], websiteId: string, before: Date): Promise<void> {
  const exact = async (period: { start: string; end: string }, path?: string) =>
    Number(
      (
        await c.query(
          `SELECT count(DISTINCT visitor_id) AS n FROM events WHERE website_id = $1 AND occurred_at >= $2 AND occurred_at < $3
             AND NOT is_bot AND received_at < $4 AND ($5::text IS NULL OR path = $5)`,
          [websiteId, period.start, period.end, before, path ?? null],
        )
      ).rows[0].n,
    );
  const line = (what: string, estimate: number, truth: number) =>
    console.log(`  ${what}: estimate ${estimate.toLocaleString('en-US')}, exact ${truth.toLocaleString('en-US')} (${(((estimate - truth) / truth) * 100).toFixed(2)}%)`);
  const estimated = outcomes.filter((o) => (o.sample as { estimated?: boolean } | null)?.estimated);
  if (!estimated.length) return;
  console.log('\naccuracy of estimated visitors:');
  for (const o of estimated.filter((x) => x.probe.endpoint === 'stats')) {
    const s = o.sample as { visitors: { value: number }; period: { start: string; end: string } };
    line(`stats ${o.probe.range}`, s.visitors.value, await exact(s.period));
  }
  const page = estimated.find((o) => o.probe.endpoint === 'breakdown/page' && o.probe.range === '30 d');
  const stats = estimated.find((o) => o.probe.endpoint === 'stats' && o.probe.range === '30 d');
  if (page && stats) {
    const period = (stats.sample as { period: { start: string; end: string } }).period;
    for (const r of (page.sample as { data: { value: string; visitors: number }[] }).data.slice(0, 3)) {
      line(`breakdown/page 30 d ${r.value}`, r.visitors, await exact(period, r.value));
    }
  }
}

// ---- Reporting helpers ------------------------------------------------------------------------

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

const mb = (bytes: unknown) => `${Math.round(Number(bytes) / 1048576).toLocaleString('en-US')} MB`;

async function tableSizes(c: Client): Promise<void> {
  // Partitioned tables hold no data themselves: sum their partitions (with indexes and TOAST).
  const { rows } = await c.query(`
    SELECT t.name, count(p.relid) AS partitions,
      coalesce(sum(pg_total_relation_size(p.relid)), 0) AS total,
      coalesce(sum(pg_indexes_size(p.relid)), 0) AS indexes,
      coalesce(sum(greatest(k.reltuples, 0)), 0)::bigint AS rows
    FROM (VALUES ('events'), ('sessions')) AS t(name)
    CROSS JOIN LATERAL pg_partition_tree(t.name::regclass) p
    JOIN pg_class k ON k.oid = p.relid
    WHERE p.isleaf
    GROUP BY t.name ORDER BY t.name`);
  for (const r of rows) {
    console.log(`  ${r.name}: ${mb(r.total)} (indexes ${mb(r.indexes)}), ~${Number(r.rows).toLocaleString('en-US')} rows in ${r.partitions} monthly partitions`);
  }
  const v = (await c.query(`SELECT pg_total_relation_size('visitor_sessions') AS total, (SELECT count(*) FROM visitor_sessions) AS rows`)).rows[0];
  console.log(`  visitor_sessions: ${mb(v.total)}, ${Number(v.rows).toLocaleString('en-US')} rows`);
}

/** Waits until the rollup job has rolled up every closed slot that received events. */
async function waitForRollups(url: string): Promise<void> {
  const t0 = performance.now();
  await withClient(url, async (c) => {
    const pending = async () => Number((await c.query("SELECT count(*) AS n FROM rollup_dirty WHERE slot < date_trunc('hour', now())")).rows[0].n);
    let last = 0;
    for (let n = await pending(); n > 0; n = await pending()) {
      if (performance.now() - last > 10_000) {
        last = performance.now();
        console.log(`  rollups: ${n.toLocaleString('en-US')} changed 15-minute slots still to roll up`);
      }
      await sleep(1000);
    }
    const r = (
      await c.query(`SELECT (SELECT count(*) FROM rollup_days) AS days, (SELECT count(*) FROM rollup_values) AS values,
        pg_total_relation_size('rollup_days') + pg_total_relation_size('rollup_values') AS bytes`)
    ).rows[0];
    console.log(
      `rollups caught up ${((performance.now() - t0) / 1000).toFixed(1)} s after the load: ${Number(r.days).toLocaleString('en-US')} days, ` +
        `${Number(r.values).toLocaleString('en-US')} value rows, ${mb(r.bytes)}`,
    );
  });
}

// ---- Main -------------------------------------------------------------------------------------

/** The spawned server, for the watchdog's last resort. */
let server: ChildProcess | null = null;

/** --pin: the server, its workers and Postgres' processes on core 1; this process on core 0. */
function pinAll(db: Database, proc: ChildProcess): void {
  pinToCore([process.pid], 0);
  pinToCore([proc.pid!, ...childPids(proc.pid!), ...db.pids()], 1);
}

async function main(): Promise<number> {
  const started = Date.now();
  const db = await openDatabase();
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = await spawnServer(
      path.join(__dirname, '..', 'src', 'main.js'),
      [],
      {
        NODE_ENV: 'production',
        JWT_SECRET: randomBytes(32).toString('base64url'),
        DATABASE_URL: db.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
        // Limits off: the native API's rate limit and the organizations' monthly quota.
        NATIVE_RATE_LIMIT_PER_MINUTE: '0',
        MONTHLY_EVENT_QUOTA: '0',
        ROLLUP_INTERVAL_MS: '5000',
      },
      `${base}/health`,
      startNodeOptions(),
    );

    if (PIN) {
      // Again before measuring: Postgres starts a backend per new connection.
      pinAll(db, server);
      const pg = db.pids().length ? ' and its Postgres' : ' (Postgres is --database-url\'s server: not pinned)';
      console.log(`pinned: Footfall${pg} on core 1, this load generator on core 0`);
    }

    let measured: TrafficSite;
    let key: string;
    if (SKIP_LOAD) {
      ({ measured, key } = await findTenant(base));
      console.log('measuring the loaded database (--skip-load)');
    } else {
      const tenants = await createTenants(base);
      // Past timestamps only: the traffic ends a minute before the load starts.
      await load(base, tenants, Date.now() - 60_000);
      measured = tenants.measured;
      key = tenants.keys[0];
    }

    await waitForRollups(db.url);
    if (PIN) pinAll(db, server);

    const info = await withClient(db.url, async (c) => {
      if (!SKIP_LOAD) {
        const t0 = performance.now();
        await c.query('VACUUM ANALYZE');
        console.log(`VACUUM ANALYZE: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
      const r = await c.query(
        `SELECT count(*) AS events, count(*) FILTER (WHERE kind = 'custom') AS custom, count(*) FILTER (WHERE is_bot) AS bots,
           count(DISTINCT visitor_id) AS visitors, count(DISTINCT session_id) AS sessions, max(occurred_at) AS last, min(occurred_at) AS first
         FROM events WHERE website_id = $1`,
        [measured.websiteId],
      );
      const all = await c.query('SELECT count(*) AS n FROM events');
      const settings = await c.query(`SELECT current_setting('server_version') AS v, current_setting('shared_buffers') AS sb, current_setting('work_mem') AS wm`);
      return { ...r.rows[0], total: all.rows[0].n, ...settings.rows[0] };
    });
    const n = (v: unknown) => Number(v).toLocaleString('en-US');
    console.log(
      `measured site: ${n(info.events)} events (${((100 * Number(info.custom)) / Number(info.events)).toFixed(1)}% custom, ${((100 * Number(info.bots)) / Number(info.events)).toFixed(1)}% bots), ` +
        `${n(info.visitors)} visitors, ${n(info.sessions)} visits, ${new Date(info.first).toISOString().slice(0, 10)} .. ${new Date(info.last).toISOString().slice(0, 10)}; ` +
        `all sites: ${n(info.total)} events`,
    );
    console.log(`PostgreSQL ${info.v}, shared_buffers ${info.sb}, work_mem ${info.wm}`);
    if (!SKIP_LOAD && Number(info.events) !== EVENTS) throw new Error(`expected ${EVENTS} stored events of the measured site, found ${info.events}`);

    // Someone on the site right now, for the realtime endpoint: a few hundred events posted just
    // before it is timed (also on --skip-load).
    const live = () => postBatch(base, key, JSON.stringify({ events: liveEvents(measured, LIVE_EVENTS, Date.now(), SEED) }));

    const lastDay = dayIn(MEASURED_TZ, new Date(info.last));
    console.log(`\ntiming queries (time zone ${MEASURED_TZ}, ranges ending ${lastDay}): median of ${RUNS} runs after one warm-up, client-side, sequential`);
    const outcomes: Outcome[] = [];
    const timingStarted = new Date();
    for (const p of probes(base, measured.websiteId, lastDay, live)) {
      const o = await measure(p, key);
      outcomes.push(o);
      process.stdout.write(`  ${p.endpoint} ${p.range}: ${o.error ? 'ERROR' : `${o.p50!.toFixed(1)} ms`}\n`);
    }
    printTable(outcomes);
    printSamples(outcomes);
    await withClient(db.url, (c) => printAccuracy(c, outcomes, measured.websiteId, timingStarted));

    console.log(`\nFootfall server peak RSS (VmHWM): ${peakRssMb(server.pid!)} MB`);
    console.log('table sizes (pg_total_relation_size over partitions):');
    await withClient(db.url, tableSizes);
    if (KEEP) console.log(`\nkept the database; measure it again with: npm run bench:query -- ${db.again}`);
    console.log(`total time ${((Date.now() - started) / 60000).toFixed(1)} min`);
    return outcomes.some((o) => o.error) ? 1 : 0;
  } finally {
    if (server) await stop(server).catch(() => undefined);
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
