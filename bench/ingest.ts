import autocannon, { Request } from 'autocannon';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { benchPostgres, createTenant, freePort, pick, randomIp, randomPage, randomUserAgent, spawnServer, stop } from './support';

/**
 * npm run bench:ingest [-- --duration 10 --connections 50]
 * Footfall on an embedded Postgres (separate process) against a bare Fastify ceiling, under
 * autocannon: single and batched /api/collect and the Web Analyzer batch route. Then checks that
 * every acknowledged event is in Postgres.
 */
const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith('--') && args.set(a.slice(2), all[i + 1]));
const DURATION = Number(args.get('duration') ?? 10);
const CONNECTIONS = Number(args.get('connections') ?? 50);

interface Scenario {
  name: string;
  url: string;
  eventsPerRequest: number;
  headers?: Record<string, string>;
  body: () => { body: string; headers?: Record<string, string> };
}

interface Outcome {
  name: string;
  rps: number;
  eventsPerSec: number;
  p50: number;
  p99: number;
  acked: number;
  non2xx: number;
  errors: number;
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
            setupRequest: (req: Request) => {
              const { body, headers } = s.body();
              return { ...req, body, headers: { ...req.headers, ...headers } };
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

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
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
    },
    `${base}/health`,
  );
  const raw = await spawnServer(path.join(__dirname, 'raw-fastify.js'), [String(rawPort)], {});
  try {
    const tenant = await createTenant(base, 3);
    const hosts = tenant.websiteIds.map((_, i) => `site${i}.example.com`);
    const event = (type: 'pageview' | 'event') => {
      const i = Math.floor(Math.random() * tenant.websiteIds.length);
      const page = randomPage(hosts[i]);
      return {
        website_id: tenant.websiteIds[i],
        type,
        url: page.url,
        referrer: page.referrer || undefined,
        language: pick(['en-US', 'de-DE', 'fr-FR']),
        screen: pick(['1920x1080', '390x844', '1440x900']),
        ...(type === 'event' ? { event_name: pick(['signup_click', 'purchase', 'download']), event_data: { plan: pick(['pro', 'free']) } } : {}),
      };
    };
    const browser = () => ({ 'x-forwarded-for': randomIp(), 'user-agent': randomUserAgent() });
    const single = () => JSON.stringify(event(Math.random() < 0.85 ? 'pageview' : 'event'));
    const scenarios: Scenario[] = [
      { name: 'raw Fastify (ceiling)', url: `http://127.0.0.1:${rawPort}/raw`, eventsPerRequest: 1, body: () => ({ body: single(), headers: browser() }) },
      { name: '/api/collect single', url: `${base}/api/collect`, eventsPerRequest: 1, body: () => ({ body: single(), headers: browser() }) },
      {
        name: '/api/collect batch of 50',
        url: `${base}/api/collect`,
        eventsPerRequest: 50,
        body: () => ({ body: JSON.stringify(Array.from({ length: 50 }, () => event(Math.random() < 0.85 ? 'pageview' : 'event'))), headers: browser() }),
      },
      {
        name: 'Web Analyzer batch of 25',
        url: `${base}/api/v1/websites/${tenant.websiteIds[0]}/track/batch`,
        eventsPerRequest: 25,
        headers: { authorization: `Bearer ${tenant.key}` },
        body: () => ({
          body: JSON.stringify({
            events: Array.from({ length: 25 }, () => ({
              name: pick(['purchase', 'signup', 'invoice_paid']),
              payload: { plan: pick(['pro', 'free']), amount: '49.99' },
              visitor_id: crypto.randomUUID(),
              url: randomPage(hosts[0]).url,
            })),
          }),
        }),
      },
    ];
    const outcomes: Outcome[] = [];
    for (const s of scenarios) {
      process.stdout.write(`running ${s.name} for ${DURATION}s at ${CONNECTIONS} connections...\n`);
      outcomes.push(await run(s));
    }
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    const stored = Number((await client.query('SELECT count(*) AS n FROM events')).rows[0].n);
    await client.end();
    const acked = outcomes.slice(1).reduce((n, o) => n + o.acked, 0);
    const ceiling = outcomes[0].rps;

    console.log('\n| scenario | req/s | events/s | p50 ms | p99 ms | x ceiling | non-2xx | errors |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const o of outcomes) {
      console.log(`| ${o.name} | ${Math.round(o.rps)} | ${Math.round(o.eventsPerSec)} | ${o.p50} | ${o.p99} | ${(o.rps / ceiling).toFixed(2)} | ${o.non2xx} | ${o.errors} |`);
    }
    console.log(`\nacknowledged events: ${acked}; stored: ${stored}; lost: ${acked - stored}`);
    console.log(`Footfall peak RSS: ${peakRssMb(server.pid!)} MB`);
    const [single1, batch] = [outcomes[1], outcomes[2]];
    console.log('\ntargets:');
    console.log(`  single collect >= 0.35x ceiling: ${(single1.rps / ceiling).toFixed(2)}x ${single1.rps / ceiling >= 0.35 ? 'PASS' : 'MISS'}`);
    console.log(`  batched >= 60,000 events/s: ${Math.round(batch.eventsPerSec)} ${batch.eventsPerSec >= 60_000 ? 'PASS' : 'MISS'}`);
    console.log(`  p99 < 25 ms (single collect): ${single1.p99} ms ${single1.p99 < 25 ? 'PASS' : 'MISS'}`);
    console.log(`  0 lost: ${acked === stored ? 'PASS' : 'MISS'}`);
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
