import { RollupJob } from '../src/rollups/rollup-job.service';
import { QueryFixture, startQueryFixture } from './support/query-fixture';
import { postV2, table, V2Answer, V2Body, WEEK } from './support/v2-query';

/**
 * Stats API v2 queries answered from raw events and, once the daily rollups exist (forced with
 * ROLLUP_MIN_EVENTS=0), from them: the same numbers. Visitors come from HyperLogLog sketches then,
 * whose stated error is about 1%; with this few visitors they count exactly, so the answers must
 * be equal, and meta.metric_warnings marks the estimated visitor metrics. Counts are of
 * test/support/query-fixture.ts (visits A-E of V1-V4 in the week).
 */
interface Probe {
  name: string;
  body: V2Body;
  /** Counted by hand. */
  rows: (string | number)[][];
  /** Whether rollups can answer it (else it stays raw, and exact). */
  rolledUp: boolean;
}

const PROBES: Probe[] = [
  {
    name: 'totals of the week',
    body: { metrics: ['visitors', 'visits', 'pageviews', 'events', 'bounce_rate', 'visit_duration', 'views_per_visit'] },
    // 4 visitors, 5 visits, 8 pageviews, 8 + 3 custom events; bounces B, D, E: 60 %; 840 s / 5 = 168 s; 8 / 5 = 1.6.
    rows: [[4, 5, 8, 11, 60, 168, 1.6]],
    rolledUp: true,
  },
  {
    name: 'by day, with time labels',
    body: { metrics: ['visitors', 'visits', 'pageviews', 'bounce_rate'], dimensions: ['time:day'], include: { time_labels: true } },
    // 01-14: A (3 pageviews), B (1, a bounce) of V1; 01-15: C; 01-16: D (a bounce); 01-19: E (a bounce).
    rows: [
      ['2025-01-14', 1, 2, 4, 50],
      ['2025-01-15', 1, 1, 2, 0],
      ['2025-01-16', 1, 1, 1, 100],
      ['2025-01-19', 1, 1, 1, 100],
    ],
    rolledUp: true,
  },
  {
    name: 'by week, from a Wednesday',
    body: { metrics: ['visitors', 'pageviews'], date_range: ['2025-01-08', '2025-01-19'], dimensions: ['time:week'], include: { time_labels: true } },
    // V2's 2 pageviews on 01-08 and V4's on 01-12, then the week: labelled with the range's first day, then 01-13.
    rows: [
      ['2025-01-08', 2, 3],
      ['2025-01-13', 4, 8],
    ],
    rolledUp: true,
  },
  {
    name: 'by month',
    body: { metrics: ['visitors', 'events'], date_range: ['2024-12-01', '2025-02-28'], dimensions: ['time:month'], include: { time_labels: true, total_rows: true } },
    // January: 3 + 11 + 1 (V4 on 01-20) events of V1-V4; February: 10 shop events of w1-w3.
    rows: [
      ['2025-01-01', 4, 15],
      ['2025-02-01', 3, 10],
    ],
    rolledUp: true,
  },
  {
    name: 'by page, paged',
    body: { metrics: ['visitors', 'visits', 'pageviews', 'events'], dimensions: ['event:page'], pagination: { limit: 2, offset: 1 }, include: { total_rows: true } },
    // / 3, 3, 3, 3 first; then /blog/hello (a4; d1, download) and /pricing (a2, signup, b1; c2, signup).
    rows: [
      ['/blog/hello', 2, 2, 2, 3],
      ['/pricing', 2, 3, 3, 5],
    ],
    rolledUp: true,
  },
  {
    name: 'by hostname',
    body: { metrics: ['visitors', 'pageviews'], dimensions: ['event:hostname'] },
    rows: [['example.com', 4, 8]],
    rolledUp: true,
  },
  {
    name: 'one page by day',
    body: { metrics: ['visitors', 'pageviews'], dimensions: ['time:day'], filters: [['is', 'event:page', ['/pricing']]] },
    // Pageviews of /pricing: a2, b1 (V1) on 01-14, c2 (V2) on 01-15.
    rows: [
      ['2025-01-14', 1, 2],
      ['2025-01-15', 1, 1],
    ],
    rolledUp: true,
  },
  {
    name: 'one hostname, totals',
    body: { metrics: ['visitors', 'pageviews', 'events'], filters: [['is', 'event:hostname', ['example.com']]] },
    rows: [[4, 8, 11]],
    rolledUp: true,
  },
  {
    name: 'by a property',
    body: { metrics: ['visitors', 'events'], dimensions: ['event:props:plan'] },
    // The "(none)" row keeps it raw: pro (A's signup), free (C's), and the other 9 events.
    rows: [
      ['(none)', 4, 9],
      ['free', 1, 1],
      ['pro', 1, 1],
    ],
    rolledUp: false,
  },
  {
    name: 'by source',
    body: { metrics: ['visitors', 'visits', 'bounce_rate'], dimensions: ['visit:source'] },
    // A, C from Google; B (Hacker News), D (Twitter) and E (direct) bounce.
    rows: [
      ['google.com', 2, 2, 0],
      ['news.ycombinator.com', 1, 1, 100],
      ['twitter.com', 1, 1, 100],
      ['Direct / None', 1, 1, 100],
    ],
    rolledUp: false,
  },
  {
    name: 'one browser, totals',
    body: { metrics: ['visitors', 'visits', 'pageviews'], filters: [['is', 'visit:browser', ['Chrome']]] },
    // Visits A, B, E of V1 and V4.
    rows: [[2, 3, 5]],
    rolledUp: false,
  },
];

describe('POST /api/v2/query: the same answers from rollups', () => {
  let f: QueryFixture;
  beforeAll(async () => (f = await startQueryFixture({ ROLLUP_MIN_EVENTS: '0', ROLLUP_INTERVAL_MS: '0' })), 120_000);
  afterAll(() => f.t.close());

  async function answers(): Promise<V2Answer[]> {
    return Promise.all(
      PROBES.map(async (p) => {
        const res = await postV2(f.t, f.readKey, { site_id: 'example.com', date_range: WEEK, ...p.body });
        if (res.status !== 200) throw new Error(`${p.name}: ${res.status} ${JSON.stringify(res.body)}`);
        return res.body;
      }),
    );
  }
  const withoutWarnings = ({ metric_warnings: _, ...meta }: Record<string, unknown>) => meta;

  it('answers as counted by hand from raw events, then the same from rollups, marking estimated visitors', async () => {
    const raw = await answers();
    PROBES.forEach((p, i) => {
      expect({ probe: p.name, rows: table(raw[i]) }).toEqual({ probe: p.name, rows: p.rows });
      expect({ probe: p.name, warnings: raw[i].meta.metric_warnings }).toEqual({ probe: p.name, warnings: undefined });
    });

    expect(await f.t.app.get(RollupJob).run()).toBeGreaterThan(0);
    const rolled = await answers();
    PROBES.forEach((p, i) => {
      const same = { probe: p.name, results: rolled[i].results, meta: withoutWarnings(rolled[i].meta), query: rolled[i].query };
      expect(same).toEqual({ probe: p.name, results: raw[i].results, meta: raw[i].meta, query: raw[i].query });
      // Only visitors are estimated; the other metrics are sums.
      const warning = { code: 'estimated', warning: expect.stringContaining('estimated') };
      expect({ probe: p.name, warnings: rolled[i].meta.metric_warnings }).toEqual({ probe: p.name, warnings: p.rolledUp ? { visitors: warning } : undefined });
    });
  });
});
