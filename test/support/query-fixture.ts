import { randomUUID } from 'node:crypto';
import { queryDb } from './events-db';
import { Account, bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './test-app';

/**
 * A small, hand-countable history sent through the real ingestion API (Ovyxa and Web Analyzer),
 * for a website in Europe/Berlin (UTC+1 in January). The numbers the query tests expect are
 * written next to each test; this file only says who did what, when.
 */

export const UA = {
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  bot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
};

/** Visitors of the Ovyxa events: the server hashes (ip, user agent) into the visitor id. */
const V1 = { ip_address: '203.0.113.1', user_agent: UA.chrome };
const V2 = { ip_address: '203.0.113.2', user_agent: UA.iphone };
const V3 = { ip_address: '203.0.113.3', user_agent: UA.firefox };
const V4 = { ip_address: '203.0.113.4', user_agent: UA.chrome };
const V5 = { ip_address: '203.0.113.5', user_agent: UA.firefox };
const V6 = { ip_address: '203.0.113.6', user_agent: UA.iphone };
const V7 = { ip_address: '203.0.113.7', user_agent: UA.chrome };
const BOT = { ip_address: '203.0.113.9', user_agent: UA.bot };

type Sent = { at: string; kind: 'pageview' | 'custom'; body: Record<string, unknown> };
const page = (at: string, who: object, path: string, extra: Record<string, unknown> = {}): Sent => ({
  at,
  kind: 'pageview',
  body: { ...who, url: `https://example.com${path}`, ...extra },
});
const custom = (at: string, who: object, path: string, event_name: string, props?: Record<string, unknown>): Sent => ({
  at,
  kind: 'custom',
  body: { ...who, url: `https://example.com${path}`, event_name, ...(props ? { props } : {}) },
});

/**
 * The week 2025-01-13 (Mon) .. 2025-01-19 (Sun) in Berlin, the week before it, and one event
 * just after it. Visits: A, B (V1), C (V2), D (V3), E (V4); previous week: V2's and V4's.
 */
export const HISTORY: Sent[] = [
  // Previous week: V2 two pageviews 60 s apart; V4 at 23:59 Berlin on Sunday 01-12.
  page('2025-01-08T10:00:00Z', V2, '/'),
  page('2025-01-08T10:01:00Z', V2, '/pricing'),
  page('2025-01-12T22:59:00Z', V4, '/pricing'),
  // Visit A (V1): 3 pageviews and a signup over 600 s, from a newsletter link found on Google.
  page('2025-01-14T09:00:00Z', V1, '/?utm_source=newsletter&utm_medium=email&utm_campaign=jan', { referrer: 'https://www.google.com/search?q=x' }),
  page('2025-01-14T09:05:00Z', V1, '/pricing'),
  custom('2025-01-14T09:06:00Z', V1, '/pricing', 'signup', { plan: 'pro', amount: 49.99, trial: true }),
  page('2025-01-14T09:10:00Z', V1, '/blog/hello'),
  // Visit B (V1), 110 minutes later: one pageview from Hacker News.
  page('2025-01-14T11:00:00Z', V1, '/pricing', { referrer: 'https://news.ycombinator.com/item?id=1' }),
  // Visit C (V2): 2 pageviews and a signup over 180 s.
  page('2025-01-15T08:00:00Z', V2, '/', { referrer: 'https://www.google.com/' }),
  page('2025-01-15T08:02:00Z', V2, '/pricing'),
  custom('2025-01-15T08:03:00Z', V2, '/pricing', 'signup', { plan: 'free', trial: false }),
  // A crawler: never counted.
  page('2025-01-15T10:00:00Z', BOT, '/'),
  custom('2025-01-15T10:00:30Z', BOT, '/', 'signup', { plan: 'bot' }),
  // Visit D (V3): one pageview and a download 60 s later (a bounce: at most one pageview).
  page('2025-01-16T12:00:00Z', V3, '/blog/hello', { referrer: 'https://twitter.com/someone' }),
  custom('2025-01-16T12:01:00Z', V3, '/blog/hello', 'download', { file: 'a.pdf' }),
  // Visit E (V4): 00:30 Berlin on Sunday 01-19 (still Saturday in UTC).
  page('2025-01-18T23:30:00Z', V4, '/'),
  // 00:30 Berlin on Monday 01-20: outside the week in Berlin, inside it in UTC.
  page('2025-01-19T23:30:00Z', V4, '/'),
];

/** Explicit visitors (Web Analyzer batch) in the week of 2025-02-10: a checkout funnel. */
export const SHOPPERS = { w1: randomUUID(), w2: randomUUID(), w3: randomUUID() };
const shop = (visitor_id: string, name: string, timestamp: string) => ({ name, visitor_id, timestamp, url: 'https://example.com/shop', payload: { currency: 'EUR' } });
export const SHOP_EVENTS = [
  // w1: every step, purchase 50 minutes after the cart.
  shop(SHOPPERS.w1, 'add_to_cart', '2025-02-12T10:00:00Z'),
  shop(SHOPPERS.w1, 'checkout', '2025-02-12T10:20:00Z'),
  shop(SHOPPERS.w1, 'purchase', '2025-02-12T10:50:00Z'),
  // w2: purchase before checkout: never completes the ordered funnel.
  shop(SHOPPERS.w2, 'add_to_cart', '2025-02-12T10:00:00Z'),
  shop(SHOPPERS.w2, 'purchase', '2025-02-12T10:05:00Z'),
  shop(SHOPPERS.w2, 'checkout', '2025-02-12T10:10:00Z'),
  // w3: a cart abandoned at 08:00, then a second attempt completed within 20 minutes.
  shop(SHOPPERS.w3, 'add_to_cart', '2025-02-12T08:00:00Z'),
  shop(SHOPPERS.w3, 'add_to_cart', '2025-02-12T11:00:00Z'),
  shop(SHOPPERS.w3, 'checkout', '2025-02-12T11:10:00Z'),
  shop(SHOPPERS.w3, 'purchase', '2025-02-12T11:20:00Z'),
];

/** Realtime: minutes before now. V1, V5, V6 and a crawler in the last 5 minutes; V7 earlier. */
export function recentEvents(now: Date): Sent[] {
  const ago = (min: number) => new Date(now.getTime() - min * 60_000).toISOString();
  return [
    page(ago(10), V7, '/old'),
    page(ago(2), V1, '/pricing'),
    page(ago(1), V5, '/live', { referrer: 'https://duckduckgo.com/' }),
    page(ago(1), V6, '/live'),
    page(ago(1), BOT, '/live', { referrer: 'https://duckduckgo.com/' }),
  ];
}

export interface QueryFixture {
  t: TestApp;
  owner: Account;
  siteId: string;
  /** Read-only key of the owner's organization. */
  readKey: string;
  get(path: string, token?: string): ReturnType<ReturnType<TestApp['http']>['get']>;
}

async function send(t: TestApp, key: string, siteId: string, events: Sent[]): Promise<void> {
  // In time order, one at a time: visits are cut after 30 minutes of inactivity, in order.
  for (const e of [...events].sort((a, b) => a.at.localeCompare(b.at))) {
    const res = await t.http().post(`/api/v1/events/${e.kind}`).set(bearer(key)).send({ site_id: siteId, timestamp: e.at, ...e.body });
    if (res.status !== 201) throw new Error(`ingest failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

async function populate(t: TestApp, owner: Account, ingestKey: string, now: Date): Promise<string> {
  const site = await createWebsite(t, owner, { name: 'Shop', domain: 'example.com', timezone: 'Europe/Berlin' });
  await send(t, ingestKey, site.id, HISTORY);
  const batch = await t.http().post(`/api/v1/websites/${site.id}/track/batch`).set(bearer(ingestKey)).send({ events: SHOP_EVENTS });
  if (batch.status !== 200) throw new Error(`batch failed: ${batch.status} ${JSON.stringify(batch.body)}`);
  await send(t, ingestKey, site.id, recentEvents(now));
  return site.id;
}

/** Starts an app and sends the fixture. */
export async function startQueryFixture(env: Record<string, string> = {}): Promise<QueryFixture> {
  const t = await startTestApp({ OVYXA_EVENTS_PER_HOUR: '0', WEBANALYZER_RATE_LIMIT_PER_MINUTE: '0', ...env });
  const owner = await signup(t, 'owner');
  const ingestKey = (await createApiKey(t, owner, { scopes: ['ingest', 'read'] })).key;
  const readKey = (await createApiKey(t, owner, { scopes: ['read'] })).key;
  let siteId = await populate(t, owner, ingestKey, new Date());
  // Cookieless visitor ids change with the daily salt: if UTC midnight passed while sending, send again.
  const salts = await queryDb<{ n: number }>(t.dbUrl, 'SELECT count(*)::int AS n FROM visitor_salts');
  if (salts[0].n > 1) siteId = await populate(t, owner, ingestKey, new Date());
  return {
    t,
    owner,
    siteId,
    readKey,
    get: (path, token = readKey) => t.http().get(`/api/websites/${siteId}${path}`).set(bearer(token)),
  };
}
