import autocannon, { Request } from 'autocannon';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { benchPostgres, childPids, cpuDelta, startNodeOptions, cpuSeconds, createTenant, freePort, pick, pinToCore, postgresPids, randomIp, randomPage, randomUserAgent, spawnServer, stop } from './support';

/**
 * npm run bench:ingest [-- --duration 10 --connections 50 --workers 2 --only collect --cpu-prof DIR]
 * Footfall on an embedded Postgres (separate process) against a bare Fastify ceiling, under
 * autocannon: single and batched /api/collect and the Web Analyzer batch route. Then checks that
 * every acknowledged event is in Postgres. CPU time of Footfall and of Postgres is read from /proc
 * per scenario, to show which side a change must relieve.
 */
const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith('--') && args.set(a.slice(2), all[i + 1]));
const DURATION = Number(args.get('duration') ?? 10);
const CONNECTIONS = Number(args.get('connections') ?? 50);
/** Runs only the scenarios whose name contains this (the ceiling always runs). */
const ONLY = args.get('only');
/** Footfall's WORKERS (1: one process; more: a cluster primary and its workers, measured together). */
const WORKERS = Number(args.get('workers') ?? 1);
/** Writes a V8 CPU profile of Footfall into this folder when it exits. */
const CPU_PROF = args.get('cpu-prof');
/** --pin: Footfall and its Postgres on core 1, the load generator (this process) on core 0. */
const PIN = args.has('pin');

interface Scenario {
  name: string;
  url: string;
  eventsPerRequest: number;
  headers?: Record<string, string>;
  /** The body, and the tokens of the events in it (carried in each event's URL as ffb=<n>). */
  body: () => { body: string; tokens: number[]; headers?: Record<string, string> };
  /** Whether the events are stored (the ceiling stores nothing). */
  stores: boolean;
}

let nextToken = 1;
const token = () => nextToken++;
/** Tokens of every event acknowledged with a 2xx. */
const acknowledged: number[] = [];

interface Outcome {
  name: string;
  rps: number;
  eventsPerSec: number;
  p50: number;
  p99: number;
  acked: number;
  non2xx: number;
  errors: number;
  /** CPU seconds per second of run: Footfall's process and all of Postgres' processes. */
  footfallCpu?: number;
  postgresCpu?: number;
  /** The same for this process, which generates the load. */
  loadCpu?: number;
  /** Share of the time Footfall's event loop was running code (1: its one thread is the bound). */
  footfallLoop?: number;
  /** Mean events per write transaction (group commit at work), and its mean duration. */
  eventsPerFlush?: number;
  flushMs?: number;
  /** Write-ahead log written per stored event (every commit waits for its WAL to be flushed). */
  walBytesPerEvent?: number;
}

/** A counter of Footfall's /metrics. */
async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

function run(s: Scenario): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: s.url,
        method: 'POST',
        connections: CONNECTIONS,
        duration: DURATION,
        headers: { 'content-type': 'application/json', ...s.headers },
        requests: [
          {
            setupRequest: (req: Request, context: object) => {
              const { body, headers, tokens } = s.body();
              (context as { tokens?: number[] }).tokens = tokens;
              return { ...req, body, headers: { ...req.headers, ...headers } };
            },
            onResponse: (status: number, _body: string, context: object) => {
              if (s.stores && status >= 200 && status < 300) acknowledged.push(...((context as { tokens: number[] }).tokens));
            },
          },
        ],
      },
      (err, r) => {
        if (err) return reject(err);
        resolve({
          name: s.name,
          rps: r.requests.average,
          eventsPerSec: (r['2xx'] * s.eventsPerRequest) / r.duration,
          p50: r.latency.p50,
          p99: r.latency.p99,
          acked: r['2xx'] * s.eventsPerRequest,
          non2xx: r.non2xx,
          errors: r.errors,
        });
      },
    );
  });
}

/** Peak resident memory of these processes, added up. */
function peakRssMb(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) kb += Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

async function main(): Promise<void> {
  const pg = await benchPostgres();
  const [port, rawPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${port}`;
  const dist = path.join(__dirname, '..');
  const server = await spawnServer(
    path.join(dist, 'src', 'main.js'),
    [],
    {
      DATABASE_URL: pg.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      TRUST_PROXY: 'true',
      SPARKLYTICS_RATE_LIMIT_PER_MINUTE: '0',
      WEBANALYZER_RATE_LIMIT_PER_MINUTE: '0',
      DATABASE_POOL_SIZE: '10',
      WORKERS: String(WORKERS),
    },
    `${base}/health`,
    [...startNodeOptions(), ...(CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(CPU_PROF)] : [])],
  );
  const raw = await spawnServer(path.join(__dirname, 'raw-fastify.js'), [String(rawPort)], {});
  if (PIN) {
    pinToCore([process.pid], 0);
    pinToCore([...postgresPids(pg.dataDir), server.pid!, ...childPids(server.pid!), raw.pid!], 1);
    console.log('pinned: Footfall, its Postgres and the raw Fastify ceiling on core 1; the load generator (autocannon, this process) on core 0');
  }
  try {
    const tenant = await createTenant(base, 3);
    const hosts = tenant.websiteIds.map((_, i) => `site${i}.example.com`);
    const tagged = (url: string, n: number) => `${url}${url.includes('?') ? '&' : '?'}ffb=${n}`;
    const event = (type: 'pageview' | 'event', n: number) => {
      const i = Math.floor(Math.random() * tenant.websiteIds.length);
      const page = randomPage(hosts[i]);
      return {
        website_id: tenant.websiteIds[i],
        type,
        url: tagged(page.url, n),
        referrer: page.referrer || undefined,
        language: pick(['en-US', 'de-DE', 'fr-FR']),
        screen: pick(['1920x1080', '390x844', '1440x900']),
        ...(type === 'event' ? { event_name: pick(['signup_click', 'purchase', 'download']), event_data: { plan: pick(['pro', 'free']) } } : {}),
      };
    };
    const browser = () => ({ 'x-forwarded-for': randomIp(), 'user-agent': randomUserAgent() });
    const kind = (): 'pageview' | 'event' => (Math.random() < 0.85 ? 'pageview' : 'event');
    const single = () => {
      const n = token();
      return { body: JSON.stringify(event(kind(), n)), tokens: [n], headers: browser() };
    };
    const collectBatch = () => {
      const tokens = Array.from({ length: 50 }, token);
      return { body: JSON.stringify(tokens.map((n) => event(kind(), n))), tokens, headers: browser() };
    };
    const webAnalyzerBatch = () => {
      const tokens = Array.from({ length: 25 }, token);
      const events = tokens.map((n) => ({
        name: pick(['purchase', 'signup', 'invoice_paid']),
        payload: { plan: pick(['pro', 'free']), amount: '49.99' },
        visitor_id: crypto.randomUUID(),
        url: tagged(randomPage(hosts[0]).url, n),
      }));
      return { body: JSON.stringify({ events }), tokens };
    };
    /** Plausible's tracker: text/plain, the website named by its domain. */
    const plausibleSingle = () => {
      const n = token();
      const i = Math.floor(Math.random() * tenant.websiteIds.length);
      const page = randomPage(hosts[i]);
      const custom = Math.random() >= 0.85;
      const body = { n: custom ? 'Signup' : 'pageview', u: tagged(page.url, n), d: hosts[i], r: page.referrer || null, w: 1440, ...(custom ? { p: { plan: pick(['pro', 'free']) } } : {}) };
      return { body: JSON.stringify(body), tokens: [n], headers: { ...browser(), 'content-type': 'text/plain' } };
    };
    /** Umami's tracker: the website by id, the path with its query. */
    const umamiSingle = () => {
      const n = token();
      const i = Math.floor(Math.random() * tenant.websiteIds.length);
      const page = new URL(tagged(randomPage(hosts[i]).url, n));
      const custom = Math.random() >= 0.85;
      const payload = { website: tenant.websiteIds[i], hostname: page.hostname, url: `${page.pathname}${page.search}`, language: 'en-US', screen: '1440x900', ...(custom ? { name: 'signup', data: { plan: 'pro' } } : {}) };
      // Umami answers a crawler {"beep":"boop"} and stores nothing: only browsers here.
      let agent = randomUserAgent();
      while (/bot/i.test(agent)) agent = randomUserAgent();
      return { body: JSON.stringify({ type: 'event', payload }), tokens: [n], headers: { 'x-forwarded-for': randomIp(), 'user-agent': agent } };
    };
    const scenarios: Scenario[] = [
      { name: 'raw Fastify (ceiling)', url: `http://127.0.0.1:${rawPort}/raw`, eventsPerRequest: 1, stores: false, body: single },
      { name: '/api/collect single', url: `${base}/api/collect`, eventsPerRequest: 1, stores: true, body: single },
      { name: '/api/collect batch of 50', url: `${base}/api/collect`, eventsPerRequest: 50, stores: true, body: collectBatch },
      { name: 'Plausible /api/event single', url: `${base}/api/event`, eventsPerRequest: 1, stores: true, body: plausibleSingle },
      { name: 'Umami /api/send single', url: `${base}/api/send`, eventsPerRequest: 1, stores: true, body: umamiSingle },
      {
        name: 'Web Analyzer batch of 25',
        url: `${base}/api/v1/websites/${tenant.websiteIds[0]}/track/batch`,
        eventsPerRequest: 25,
        stores: true,
        headers: { authorization: `Bearer ${tenant.key}` },
        body: webAnalyzerBatch,
      },
    ];
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    const walLsn = async () => String((await client.query('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn);
    const walBytesSince = async (lsn: string) => Number((await client.query('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn) AS n', [lsn])).rows[0].n);
    const outcomes: Outcome[] = [];
    for (const s of scenarios.filter((x, i) => i === 0 || !ONLY || x.name.includes(ONLY))) {
      process.stdout.write(`running ${s.name} for ${DURATION}s at ${CONNECTIONS} connections...\n`);
      const footfall = [server.pid!, ...childPids(server.pid!)];
      const pids = () => [...footfall, ...postgresPids(pg.dataDir)];
      const flushes = await metric(base, 'footfall_writer_batches_total');
      const written = await metric(base, 'footfall_ingest_events_total');
      const flushSeconds = await metric(base, 'footfall_writer_flush_seconds_total');
      const loopSeconds = await metric(base, 'footfall_event_loop_active_seconds_total');
      const lsn = await walLsn();
      const before = cpuSeconds(pids());
      const ownBefore = process.cpuUsage();
      const outcome = await run(s);
      const after = cpuSeconds(pids());
      const own = process.cpuUsage(ownBefore);
      outcome.loadCpu = (own.user + own.system) / 1e6 / DURATION;
      const busy = (side: (pid: number) => boolean) =>
        cpuDelta(new Map([...before].filter(([p]) => side(p))), new Map([...after].filter(([p]) => side(p)))) / DURATION;
      if (s.stores) {
        outcome.footfallCpu = busy((p) => footfall.includes(p));
        outcome.footfallLoop = ((await metric(base, 'footfall_event_loop_active_seconds_total')) - loopSeconds) / DURATION;
        outcome.postgresCpu = busy((p) => !footfall.includes(p));
        const n = (await metric(base, 'footfall_writer_batches_total')) - flushes;
        const stored = (await metric(base, 'footfall_ingest_events_total')) - written;
        outcome.eventsPerFlush = stored / n;
        outcome.walBytesPerEvent = (await walBytesSince(lsn)) / stored;
        outcome.flushMs = (((await metric(base, 'footfall_writer_flush_seconds_total')) - flushSeconds) * 1000) / n;
      }
      outcomes.push(outcome);
    }
    // Every acknowledged token must be in a stored event's query string.
    const missing = Number(
      (
        await client.query(
          `SELECT count(*) AS n FROM unnest($1::bigint[]) AS a(t)
           WHERE NOT EXISTS (SELECT 1 FROM events e WHERE substring(e.query from 'ffb=([0-9]+)')::bigint = a.t)`,
          [acknowledged],
        )
      ).rows[0].n,
    );
    const stored = Number((await client.query('SELECT count(*) AS n FROM events')).rows[0].n);
    await client.end();
    const acked = acknowledged.length;
    const ceiling = outcomes[0].rps;

    console.log('\n| scenario | req/s | events/s | p50 ms | p99 ms | x ceiling | non-2xx | errors | Footfall CPU | Footfall loop | Postgres CPU | load CPU | events/flush | ms/flush | WAL B/event |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    const cores = (n?: number) => (n === undefined ? '-' : n.toFixed(2));
    for (const o of outcomes) {
      console.log(
        `| ${o.name} | ${Math.round(o.rps)} | ${Math.round(o.eventsPerSec)} | ${o.p50} | ${o.p99} | ${(o.rps / ceiling).toFixed(2)} | ${o.non2xx} | ${o.errors} | ${cores(o.footfallCpu)} | ${cores(o.footfallLoop)} | ${cores(o.postgresCpu)} | ${cores(o.loadCpu)} | ${o.eventsPerFlush === undefined ? '-' : o.eventsPerFlush.toFixed(1)} | ${o.flushMs === undefined ? '-' : o.flushMs.toFixed(1)} | ${o.walBytesPerEvent === undefined ? '-' : Math.round(o.walBytesPerEvent)} |`,
      );
    }
    console.log(`(CPU in cores: CPU seconds per second of the scenario; load = autocannon, in this process; loop = share of the time Footfall's event loop was busy, summed over its ${WORKERS} worker(s))`);
    console.log(`\nacknowledged events: ${acked}; stored events: ${stored}; acknowledged but not stored: ${missing}`);
    const processes = [server.pid!, ...childPids(server.pid!)];
    console.log(`Footfall peak RSS: ${peakRssMb(processes)} MB${WORKERS > 1 ? ` (primary and ${processes.length - 1} workers, added up)` : ''}`);
    const single1 = outcomes.find((o) => o.name === '/api/collect single');
    const batch = outcomes.find((o) => o.name === '/api/collect batch of 50');
    console.log('\ntargets:');
    if (single1) {
      console.log(`  single collect >= 0.35x ceiling: ${(single1.rps / ceiling).toFixed(2)}x ${single1.rps / ceiling >= 0.35 ? 'PASS' : 'MISS'}`);
      console.log(`  p99 < 25 ms (single collect): ${single1.p99} ms ${single1.p99 < 25 ? 'PASS' : 'MISS'}`);
    }
    if (batch) console.log(`  batched >= 60,000 events/s: ${Math.round(batch.eventsPerSec)} ${batch.eventsPerSec >= 60_000 ? 'PASS' : 'MISS'}`);
    console.log(`  0 lost: ${missing === 0 ? 'PASS' : 'MISS'}`);
  } finally {
    await stop(raw);
    await stop(server);
    await pg.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
