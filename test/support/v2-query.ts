import { UA } from './query-fixture';
import { Account, bearer, createApiKey, createWebsite, TestApp } from './test-app';

/**
 * Helpers of the Stats API v2 tests, and a second Berlin website ("spring") whose events straddle
 * the start of summer time (2025-03-30: 02:00 CET becomes 03:00 CEST, at 01:00 UTC) and carry a
 * country. The numbers the tests expect are counted by hand next to each test.
 */

/** The query fixture's week, Monday 2025-01-13 to Sunday 2025-01-19 in Berlin. */
export const WEEK = ['2025-01-13', '2025-01-19'];

export type V2Body = Record<string, unknown>;

export interface V2Answer {
  results: { metrics: (number | null)[]; dimensions: string[] }[];
  meta: Record<string, unknown>;
  query: Record<string, unknown>;
}

/** POST /api/v2/query with a bearer credential, or none (null). */
export function postV2(t: TestApp, token: string | null, body: unknown) {
  const req = t.http().post('/api/v2/query');
  return token === null ? req.send(body as object) : req.set(bearer(token)).send(body as object);
}

/** POST /api/v2/query with a body sent as it is written (malformed JSON, deep nesting). */
export function postV2Text(t: TestApp, token: string, text: string, contentType = 'application/json') {
  return t.http().post('/api/v2/query').set(bearer(token)).set('Content-Type', contentType).send(text);
}

/** Each result as one flat row: its dimensions, then its metrics. */
export const table = (answer: V2Answer): (string | number | null)[][] => answer.results.map((r) => [...r.dimensions, ...r.metrics]);

/** The spring website's visitors: g1 from an address every geo database places in Great Britain, g2 from a documentation address (no country). */
const G1 = { visitor_id: 'spring-g1', ip_address: '81.2.69.142', user_agent: UA.firefox };
const G2 = { visitor_id: 'spring-g2', ip_address: '203.0.113.20', user_agent: UA.chrome };

/** A path that makes a backtracking regular expression engine work hard: many a's, then a "!". */
const LONG_PATH = `/${'a'.repeat(1900)}!`;

/**
 * Seven pageviews; visits are cut after 30 idle minutes (S1..S6). Berlin local times in comments.
 */
const SPRING_EVENTS: [string, typeof G1, string][] = [
  ['2025-03-29T22:30:00Z', G1, '/spring'], // S1: Sat 03-29 23:30 CET
  ['2025-03-30T00:30:00Z', G1, '/spring'], // S2: Sun 03-30 01:30 CET
  ['2025-03-30T01:15:00Z', G2, '/spring'], // S3: Sun 03-30 03:15 CEST (02:00-03:00 does not exist)
  ['2025-03-30T01:20:00Z', G2, '/summer'], // S3: 03:20 CEST
  ['2025-03-30T21:45:00Z', G1, '/spring'], // S4: Sun 03-30 23:45 CEST
  ['2025-03-30T22:15:00Z', G2, '/summer'], // S5: Mon 03-31 00:15 CEST (still Sunday in UTC)
  ['2025-03-31T10:00:00Z', G1, LONG_PATH], // S6: Mon 03-31 12:00 CEST
];

/** Creates the spring website (Europe/Berlin, domain spring.example.org) in the owner's organization and sends its events. */
export async function startSpringSite(t: TestApp, owner: Account): Promise<string> {
  const site = await createWebsite(t, owner, { name: 'Spring', domain: 'spring.example.org', timezone: 'Europe/Berlin' });
  const key = (await createApiKey(t, owner, { scopes: ['ingest'] })).key;
  // One at a time, in time order, as the visits are cut in that order.
  for (const [timestamp, who, path] of SPRING_EVENTS) {
    const res = await t
      .http()
      .post('/api/v1/events')
      .set(bearer(key))
      .send({ website_id: site.id, type: 'pageview', url: `https://spring.example.org${path}`, timestamp, ...who });
    if (res.status !== 202) throw new Error(`ingest failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return site.id;
}
