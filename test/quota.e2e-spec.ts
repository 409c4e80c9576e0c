import { queryDb } from './support/events-db';
import { Account, bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

const EVENTS = '/api/v1/events';
const QUOTA = 30;

/** A new organization (a quota of its own) with one website and an ingest key. */
async function setup(t: TestApp) {
  const a: Account = await signup(t, 'quota');
  const site = (await createWebsite(t, a)).id;
  const key = (await createApiKey(t, a, { scopes: ['ingest'] })).key;
  const post = (body: object) => t.http().post(EVENTS).set(bearer(key)).send(body);
  const stored = async () => Number((await queryDb<{ n: string }>(t.dbUrl, 'SELECT count(*) AS n FROM events WHERE website_id = $1', [site]))[0].n);
  return { site, post, stored };
}

/** MONTHLY_EVENT_QUOTA: events are reserved against it before they are stored, never counted after. */
describe('monthly event quota', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ MONTHLY_EVENT_QUOTA: String(QUOTA) });
  });
  afterAll(() => t.close());

  it('accepts at most the quota of 100 parallel requests, and stores no more', async () => {
    const { site, post, stored } = await setup(t);
    const statuses = (await Promise.all(Array.from({ length: 100 }, (_, i) => post({ website_id: site, url: `https://example.com/p/${i}` })))).map((r) => r.status);
    expect(statuses.filter((s) => s !== 202 && s !== 402)).toEqual([]);
    expect(statuses.filter((s) => s === 202)).toHaveLength(QUOTA);
    expect(await stored()).toBe(QUOTA);
  });

  it('gives back the reservation of events not stored: a duplicate in a batch and a replayed event', async () => {
    const { site, post, stored } = await setup(t);
    // 10 events of which 5 are copies of one keyed event: 6 stored, 6 counted.
    const batch = [...Array.from({ length: 5 }, () => ({ website_id: site, url: 'https://example.com/dup', event_id: 'dup-1' })), ...Array.from({ length: 5 }, (_, i) => ({ website_id: site, url: `https://example.com/u/${i}` }))];
    await post({ events: batch }).expect(202);
    // A replay of the keyed event stores nothing and counts nothing.
    await post({ website_id: site, url: 'https://example.com/dup', event_id: 'dup-1' }).expect(202);
    expect(await stored()).toBe(6);
    // So exactly QUOTA - 6 more fit, and not one more.
    await post({ events: Array.from({ length: QUOTA - 6 }, (_, i) => ({ website_id: site, url: `https://example.com/rest/${i}` })) }).expect(202);
    await post({ website_id: site, url: 'https://example.com/over' }).expect(402);
    expect(await stored()).toBe(QUOTA);
    // A retry of a stored event still answers as the first call did.
    await post({ website_id: site, url: 'https://example.com/dup', event_id: 'dup-1' }).expect(202);
  });

  it('answers a retry with an event_id holding a NUL character like any other once the quota is used, never 503', async () => {
    const { site, post, stored } = await setup(t);
    const event = { website_id: site, url: 'https://example.com/nul', event_id: 'e\u0000' };
    const res = await post(event).expect(202);
    await post({ events: Array.from({ length: QUOTA - 1 }, (_, i) => ({ website_id: site, url: `https://example.com/n/${i}` })) }).expect(202);
    expect((await post(event).expect(202)).body).toEqual(res.body);
    expect((await post({ ...event, event_id: 'other\u0000' }).expect(402)).body).toEqual({ error: expect.objectContaining({ code: 'quota_exceeded' }) });
    expect(await stored()).toBe(QUOTA);
  });
});

describe('monthly event quota, when storing fails', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A writer queue of 4 events sheds any larger request after its events were reserved.
    t = await startTestApp({ MONTHLY_EVENT_QUOTA: String(QUOTA), WRITER_MAX_QUEUE: '4' });
  });
  afterAll(() => t.close());

  it('gives back the reservation of a request whose events were not stored', async () => {
    const { site, post, stored } = await setup(t);
    const five = { events: Array.from({ length: 5 }, (_, i) => ({ website_id: site, url: `https://example.com/shed/${i}` })) };
    for (let i = 0; i < 10; i++) await post(five).expect(503);
    for (let i = 0; i < QUOTA; i++) await post({ website_id: site, url: `https://example.com/one/${i}` }).expect(202);
    await post({ website_id: site, url: 'https://example.com/over' }).expect(402);
    expect(await stored()).toBe(QUOTA);
  });
});
