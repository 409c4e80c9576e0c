/**
 * The query benchmark's client side: HTTP calls to Footfall, the bench tenant (created, or found
 * again with --skip-load), and the load through the native batch API.
 */
import { TrafficSite, trafficBatches } from './query-traffic';

/** Aborted at --max-minutes or on Ctrl-C: every request and wait gives up. */
export const giveUp = new AbortController();

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${body.slice(0, 2000)}`);
  }
}

export async function call(method: string, url: string, opts: { token?: string; body?: unknown; raw?: string; timeoutMs?: number } = {}): Promise<{ status: number; text: string; ms: number }> {
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

export async function json<T = Record<string, unknown>>(method: string, url: string, opts: { token?: string; body?: unknown } = {}): Promise<T> {
  const r = await call(method, url, opts);
  if (r.status < 200 || r.status >= 300) throw new HttpError(r.status, r.text, `${method} ${url.replace(/^http:\/\/[^/]+/, '')}`);
  return JSON.parse(r.text) as T;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- Tenants ----------------------------------------------------------------------------------

const OTHER_ORGS = 4;
export const OTHER_SITES = 20;
/** The bench tenant: fixed, so --skip-load can sign in again. */
const EMAIL = 'query-bench@example.com';
const PASSWORD = 'query benchmark password';
const MEASURED_NAME = 'Query bench: measured site';
const MEASURED_HOST = 'measured.example.com';
export const MEASURED_TZ = 'Europe/Berlin';

export interface Tenants {
  measured: TrafficSite;
  sites: TrafficSite[];
  /** Key per key index: [0] ingest+read for the measured organization, then one per other organization. */
  keys: string[];
}

export async function createTenants(base: string, events: number): Promise<Tenants> {
  const signup = await json(`POST`, `${base}/api/auth/signup`, { body: { email: EMAIL, password: PASSWORD, organization_name: 'Measured tenant' } });
  const token = signup.access_token as string;
  const org0 = (signup.organization as { id: string }).id;
  const site = (name: string, domain: string, organization_id: string, timezone = 'UTC') =>
    json(`POST`, `${base}/api/websites`, { token, body: { name, domain, organization_id, timezone } }).then((r) => r.id as string);
  const key = (organization_id: string, scopes: string[]) =>
    json(`POST`, `${base}/api/api-keys`, { token, body: { name: 'query bench', organization_id, scopes } }).then((r) => r.key as string);

  const measured: TrafficSite = { websiteId: await site(MEASURED_NAME, MEASURED_HOST, org0, MEASURED_TZ), host: MEASURED_HOST, keyIndex: 0, events };
  const keys = [await key(org0, ['ingest', 'read'])];
  // The other tenants' traffic: N/10 in total, shared unevenly (site i gets a share ~ 1/(i+1)).
  const shares = Array.from({ length: OTHER_SITES }, (_, i) => 1 / (i + 1));
  const sum = shares.reduce((a, b) => a + b, 0);
  const otherTotal = Math.floor(events / 10);
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

/** The measured site and a new read key, from an earlier run's tenant; the goal the probes use exists afterwards. */
export async function findTenant(base: string, goalEvent: string): Promise<{ websiteId: string; key: string }> {
  const login = await json(`POST`, `${base}/api/auth/login`, { body: { email: EMAIL, password: PASSWORD } });
  const token = login.access_token as string;
  const list = await json<{ data: { id: string; name: string; organization_id: string }[] }>('GET', `${base}/api/websites`, { token });
  const site = list.data.find((w) => w.name === MEASURED_NAME);
  if (!site) throw new Error('this database holds no measured site of an earlier run');
  const created = await json(`POST`, `${base}/api/api-keys`, { token, body: { name: 'query bench (read)', organization_id: site.organization_id, scopes: ['read'] } });
  const goal = await call('POST', `${base}/api/websites/${encodeURIComponent(site.id)}/goals`, { token, body: { goal_type: 'event', event_name: goalEvent } });
  if (goal.status !== 201 && goal.status !== 409) throw new Error(`creating the goal: HTTP ${goal.status} ${goal.text}`);
  return { websiteId: site.id, key: created.key as string };
}

// ---- Loading ----------------------------------------------------------------------------------

const BATCH = 500;
const INGEST_TIMEOUT_MS = 120_000;

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

export async function load(base: string, t: Tenants, o: { end: number; days: number; seed: number; concurrency: number }): Promise<void> {
  const total = t.sites.reduce((s, x) => s + x.events, 0);
  const measured = t.measured.events;
  console.log(
    `loading ${total.toLocaleString('en-US')} events: ${measured.toLocaleString('en-US')} for the measured site, ` +
      `${(total - measured).toLocaleString('en-US')} for ${OTHER_SITES} other sites in ${OTHER_ORGS} other organizations, ` +
      `over ${o.days} days, ${BATCH} per request (POST /api/v1/events), ${o.concurrency} requests in flight`,
  );
  const batches = trafficBatches(t.sites, { end: o.end, days: o.days, seed: o.seed, batchSize: BATCH });
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
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]);
  console.log(
    `load: ${sent.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s = ${Math.round(sent / seconds).toLocaleString('en-US')} events/s ` +
      `(${requests} requests; request p50 ${q(0.5)} ms, p99 ${q(0.99)} ms)`,
  );
}
