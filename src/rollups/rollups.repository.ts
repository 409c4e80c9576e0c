import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { QUERY_DATA_SOURCE } from '../database/query-data-source';
import { daySummariesSql, DaySummary, ROLLED_UP_FIELDS, RollupDimension, toDaySummary, toValueSummary, ValueSummary } from '../analytics/day-summary';
import { EVENT_FIELDS } from '../analytics/query';
import { compile } from '../analytics/sql';

export interface RollupDay extends DaySummary {
  dayStart: Date;
  dayEnd: Date;
  coveredUntil: Date;
  /** Property keys with too many values that day: not in rollup_values. */
  unrolledPropKeys: string[];
}

/** A day holds at most this many values of one event property in rollups; beyond, the key is read raw. */
export const MAX_PROP_VALUES_PER_DAY = 1000;

export interface PendingDay {
  websiteId: string;
  timezone: string;
  day: string;
  /** The day's first instant and the next day's, as Postgres maps the zone's midnights. */
  dayStart: Date;
  dayEnd: Date;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

// Every event-level dimension from one pass over a day's events; event names are custom events only.
const DIMENSION_ROWS = ROLLED_UP_FIELDS.map((name) => [name, EVENT_FIELDS[name]] as const)
  .map(([name, column]) => (name === 'event_name' ? `('${name}', e.${column}, e.kind = 'custom')` : `('${name}', e.${column}, true)`))
  .join(',\n    ');
const DIMENSION_COLUMNS = [...new Set(ROLLED_UP_FIELDS.map((name) => EVENT_FIELDS[name]))].join(', ');

/** Rollup SQL: consuming change marks, recomputing a day, and reading rolled-up days and values. */
@Injectable()
export class RollupsRepository {
  constructor(
    private readonly db: DataSource,
    /** Reads for queries run on the query pool, within the query's admission and time budget. */
    @InjectDataSource(QUERY_DATA_SOURCE) private readonly queryDb: DataSource,
  ) {}

  /**
   * Local days with change marks in slots before `before`, oldest first. Websites whose zone
   * Postgres does not know are left out (one such zone would fail the statement for all).
   */
  async pendingDays(before: Date, limit: number): Promise<PendingDay[]> {
    const rows: { website_id: string; timezone: string; day: string; day_start: Date; day_end: Date }[] = await this.db.query(
      `SELECT website_id, timezone, to_char(day, 'YYYY-MM-DD') AS day,
         day::timestamp AT TIME ZONE timezone AS day_start, (day + 1)::timestamp AT TIME ZONE timezone AS day_end
       FROM (SELECT DISTINCT d.website_id, w.timezone, (d.slot AT TIME ZONE w.timezone)::date AS day
             FROM rollup_dirty d JOIN websites w ON w.id = d.website_id
             WHERE d.slot < $1 AND lower(w.timezone) IN (SELECT lower(name) FROM pg_timezone_names)) x
       ORDER BY day, website_id LIMIT $2`,
      [before, limit],
    );
    return rows.map((r) => ({ websiteId: r.website_id, timezone: r.timezone, day: r.day, dayStart: r.day_start, dayEnd: r.day_end }));
  }

  /**
   * Recomputes one day over [dayStart, coveredUntil) from the raw events, in one transaction that
   * first consumes the day's change marks (waiting for writers holding them). Returns false when
   * another instance is recomputing the same day.
   */
  async recomputeDay(d: PendingDay, coveredUntil: Date): Promise<boolean> {
    const { dayStart, dayEnd } = d;
    return this.db.transaction(async (tx) => {
      const [{ locked }] = await tx.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [`rollup:${d.websiteId}:${d.day}`]);
      if (!locked) return false;
      await tx.query('DELETE FROM rollup_dirty WHERE website_id = $1 AND slot >= $2 AND slot < $3', [d.websiteId, dayStart, coveredUntil]);
      const summary = compile(daySummariesSql(d.websiteId, d.timezone, { start: dayStart, end: coveredUntil }));
      const n = summary.values.length;
      await tx.query(
        `INSERT INTO rollup_days (website_id, day, timezone, day_start, day_end, covered_until, computed_at,
           pageviews, events, sessions, bounces, duration_seconds, visitors)
         SELECT $${n + 1}, $${n + 2}::date, $${n + 3}, $${n + 4}::timestamptz, $${n + 5}::timestamptz, $${n + 6}::timestamptz, now(),
           coalesce(sum(s.pageviews), 0), coalesce(sum(s.events), 0), coalesce(sum(s.sessions), 0), coalesce(sum(s.bounces), 0),
           coalesce(sum(s.duration_seconds), 0), coalesce(string_agg(s.visitors, ''::bytea), ''::bytea)
         FROM (${summary.text}) s
         ON CONFLICT (website_id, day) DO UPDATE SET timezone = EXCLUDED.timezone, day_start = EXCLUDED.day_start,
           day_end = EXCLUDED.day_end, covered_until = EXCLUDED.covered_until, computed_at = EXCLUDED.computed_at,
           pageviews = EXCLUDED.pageviews, events = EXCLUDED.events, sessions = EXCLUDED.sessions, bounces = EXCLUDED.bounces,
           duration_seconds = EXCLUDED.duration_seconds, visitors = EXCLUDED.visitors`,
        [...summary.values, d.websiteId, d.day, d.timezone, dayStart, dayEnd, coveredUntil],
      );
      await tx.query('DELETE FROM rollup_values WHERE website_id = $1 AND day = $2', [d.websiteId, d.day]);
      await tx.query(
        `INSERT INTO rollup_values (website_id, day, dimension, value, pageviews, events, sessions, visitors)
         SELECT $1, $2::date, dv.dimension, dv.value, count(*) FILTER (WHERE e.kind = 'pageview'), count(*) FILTER (WHERE e.kind = 'custom'),
           count(DISTINCT e.session_id), footfall_hll_pack(array_agg(e.entry))
         FROM (SELECT kind, session_id, ${DIMENSION_COLUMNS}, footfall_hll_entry(visitor_id) AS entry
               FROM events WHERE website_id = $1 AND occurred_at >= $3 AND occurred_at < $4 AND NOT is_bot) e
         CROSS JOIN LATERAL (VALUES
    ${DIMENSION_ROWS}) AS dv(dimension, value, applies)
         WHERE dv.applies
         GROUP BY dv.dimension, dv.value`,
        [d.websiteId, d.day, dayStart, coveredUntil],
      );
      await tx.query(
        `WITH kv AS (
           SELECT kv.key, kv.value, e.kind, e.name, e.session_id, footfall_hll_entry(e.visitor_id) AS entry
           FROM events e CROSS JOIN LATERAL jsonb_each_text(CASE WHEN jsonb_typeof(e.props) = 'object' THEN e.props ELSE '{}'::jsonb END) AS kv
           WHERE e.website_id = $1 AND e.occurred_at >= $3 AND e.occurred_at < $4 AND NOT e.is_bot
             AND e.props IS NOT NULL AND kv.value IS NOT NULL
         ), keys AS (
           SELECT key, count(DISTINCT value) <= $5 AS small FROM kv GROUP BY key
         ), rolled AS (
           INSERT INTO rollup_values (website_id, day, dimension, value, pageviews, events, sessions, visitors)
           SELECT $1, $2::date, 'prop:' || kv.key, kv.value, count(*) FILTER (WHERE kv.kind = 'pageview'),
             count(*) FILTER (WHERE kv.kind = 'custom'), count(DISTINCT kv.session_id), footfall_hll_pack(array_agg(kv.entry))
           FROM kv JOIN keys ON keys.key = kv.key AND keys.small
           GROUP BY kv.key, kv.value
         ), per_event AS (
           -- Sparklytics' property counts per event name: value holds the JSON pair [key, value].
           INSERT INTO rollup_values (website_id, day, dimension, value, pageviews, events, sessions, visitors)
           SELECT $1, $2::date, 'event_prop:' || kv.name, jsonb_build_array(kv.key, kv.value)::text, 0, count(*), 0, ''::bytea
           FROM kv JOIN keys ON keys.key = kv.key AND keys.small
           WHERE kv.kind = 'custom' AND kv.name IS NOT NULL
           GROUP BY kv.name, kv.key, kv.value
         )
         UPDATE rollup_days SET unrolled_prop_keys = coalesce((SELECT array_agg(key ORDER BY key) FROM keys WHERE NOT small), '{}')
         WHERE website_id = $1 AND day = $2::date`,
        [d.websiteId, d.day, dayStart, coveredUntil, MAX_PROP_VALUES_PER_DAY],
      );
      return true;
    });
  }

  /**
   * Rollups computed in another time zone than the website's current one are dropped, and their
   * days marked for recomputation in the new zone.
   */
  async resetChangedTimezones(): Promise<void> {
    await this.db.query(
      `WITH stale AS (
         DELETE FROM rollup_days r USING websites w WHERE r.website_id = w.id AND r.timezone <> w.timezone
         RETURNING r.website_id, r.day, r.day_start, r.day_end
       ), values_gone AS (
         DELETE FROM rollup_values v USING stale s WHERE v.website_id = s.website_id AND v.day = s.day
       )
       INSERT INTO rollup_dirty (website_id, slot, shard)
       SELECT DISTINCT s.website_id, g.slot, 0 FROM stale s
       CROSS JOIN LATERAL generate_series(s.day_start, s.day_end - interval '15 minutes', interval '15 minutes') AS g(slot)
       ON CONFLICT DO NOTHING`,
    );
  }

  /** Websites with change marks before `before` whose time zone Postgres does not know (their days cannot be rolled up). */
  async websitesWithUnknownZones(before: Date): Promise<{ websiteId: string; timezone: string }[]> {
    const rows: { id: string; timezone: string }[] = await this.db.query(
      `SELECT w.id, w.timezone FROM websites w
       WHERE lower(w.timezone) NOT IN (SELECT lower(name) FROM pg_timezone_names)
         AND EXISTS (SELECT 1 FROM rollup_dirty d WHERE d.website_id = w.id AND d.slot < $1)`,
      [before],
    );
    return rows.map((r) => ({ websiteId: r.id, timezone: r.timezone }));
  }

  /** Change marks of websites that no longer exist. */
  async dropOrphanMarks(): Promise<void> {
    await this.db.query('DELETE FROM rollup_dirty d WHERE NOT EXISTS (SELECT 1 FROM websites w WHERE w.id = d.website_id)');
  }

  /** Slots before `before` still waiting to be rolled up (for /metrics and the query benchmark). */
  async pendingSlots(before: Date): Promise<number> {
    const [r] = await this.db.query('SELECT count(*) AS n FROM rollup_dirty WHERE slot < $1', [before]);
    return num(r.n);
  }

  /**
   * The website's up-to-date rolled-up days between two local days: computed in `timezone`, and
   * with no change mark inside the covered part. Sketches only when asked for.
   */
  async days(websiteId: string, timezone: string, firstDay: string, lastDay: string, withSketches: boolean): Promise<RollupDay[]> {
    const rows: Record<string, unknown>[] = await this.queryDb.query(
      `SELECT to_char(r.day, 'YYYY-MM-DD') AS day, r.day_start, r.day_end, r.covered_until, r.pageviews, r.events, r.sessions,
         r.bounces, r.duration_seconds, r.unrolled_prop_keys${withSketches ? ', r.visitors' : ''}
       FROM rollup_days r
       WHERE r.website_id = $1 AND r.day >= $2::date AND r.day <= $3::date AND r.timezone = $4
         AND NOT EXISTS (SELECT 1 FROM rollup_dirty d WHERE d.website_id = r.website_id AND d.slot >= r.day_start AND d.slot < r.covered_until)`,
      [websiteId, firstDay, lastDay, timezone],
    );
    return rows.map((r) => ({
      ...toDaySummary(r),
      dayStart: r.day_start as Date,
      dayEnd: r.day_end as Date,
      coveredUntil: r.covered_until as Date,
      unrolledPropKeys: r.unrolled_prop_keys as string[],
    }));
  }

  /** One value of a dimension, per rolled-up day. */
  async valueDays(websiteId: string, dimension: RollupDimension, value: string, days: readonly string[]): Promise<DaySummary[]> {
    if (!days.length) return [];
    const rows: Record<string, unknown>[] = await this.queryDb.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, pageviews, events, sessions, visitors
       FROM rollup_values WHERE website_id = $1 AND dimension = $2 AND value = $3 AND day = ANY($4::date[])`,
      [websiteId, dimension, value, days],
    );
    return rows.map(toDaySummary);
  }

  /** (key, value, count) of one custom event's properties over rolled-up days. */
  async eventPropertyCounts(websiteId: string, eventName: string, days: readonly string[]): Promise<{ key: string; value: string; count: number }[]> {
    if (!days.length) return [];
    const rows: { pair: string; count: string }[] = await this.queryDb.query(
      `SELECT value AS pair, sum(events) AS count FROM rollup_values
       WHERE website_id = $1 AND dimension = $2 AND day = ANY($3::date[]) GROUP BY value`,
      [websiteId, `event_prop:${eventName}`, days],
    );
    return rows.map((r) => {
      const [key, value] = JSON.parse(r.pair) as [string, string];
      return { key, value, count: num(r.count) };
    });
  }

  /** Per value of a dimension over rolled-up days: summed counts and the concatenated sketches (at most maxRows values). */
  async values(websiteId: string, dimension: RollupDimension, days: readonly string[], maxRows: number): Promise<ValueSummary[]> {
    if (!days.length) return [];
    const rows: Record<string, unknown>[] = await this.queryDb.query(
      `SELECT value, sum(pageviews) AS pageviews, sum(events) AS events, sum(sessions) AS sessions, string_agg(visitors, ''::bytea) AS visitors
       FROM rollup_values WHERE website_id = $1 AND dimension = $2 AND day = ANY($3::date[]) GROUP BY value LIMIT $4`,
      [websiteId, dimension, days, maxRows],
    );
    return rows.map(toValueSummary);
  }
}
