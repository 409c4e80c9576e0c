import { canonicalQuery, Condition, Query } from '../../analytics/query';
import { CUSTOM_EVENTS, eventNamed } from './conditions';
import { planQuery } from './plan';

const range = { start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-02-01T00:00:00Z') };
const q = (over: Partial<Query>): Query => canonicalQuery({ websiteId: 'w', timezone: 'UTC', range }, { metrics: ['visitors', 'pageviews'], ...over });
const is = (dimension: Condition['dimension'], value: string): Condition => ({ type: 'condition', operator: 'is', dimension, values: [value], caseSensitive: true });

describe('planQuery', () => {
  it('sends totals and day, week or month series without filters to the rolled-up days', () => {
    expect(planQuery(q({ metrics: ['visitors', 'bounce_rate', 'visit_duration'] }))).toEqual({ source: 'rollup_days', only: null, unit: null });
    expect(planQuery(q({ dimensions: [{ kind: 'time', unit: 'week' }] }))).toEqual({ source: 'rollup_days', only: null, unit: 'week' });
  });

  it('sends one exact value of a rolled-up field to that value’s rolled-up days, without visit metrics', () => {
    expect(planQuery(q({ filter: is({ kind: 'event', name: 'country' }, 'DE') }))).toEqual({ source: 'rollup_days', only: { field: 'country', value: 'DE' }, unit: null });
    expect(planQuery(q({ filter: { type: 'and', children: [CUSTOM_EVENTS, eventNamed('signup')] }, metrics: ['custom_events'], dimensions: [{ kind: 'time', unit: 'day' }] }))).toEqual({
      source: 'rollup_days',
      only: { field: 'event_name', value: 'signup' },
      unit: 'day',
    });
    expect(planQuery(q({ filter: is({ kind: 'event', name: 'country' }, 'DE'), metrics: ['bounce_rate'] })).source).toBe('raw');
  });

  it('sends one rolled-up dimension without filters to the rolled-up values', () => {
    expect(planQuery(q({ dimensions: [{ kind: 'event', name: 'page' }] }))).toEqual({ source: 'rollup_values', dimension: 'page', present: false });
    expect(planQuery(q({ dimensions: [{ kind: 'prop', key: 'plan' }], filter: { type: 'present', dimension: { kind: 'prop', key: 'plan' } } }))).toEqual({
      source: 'rollup_values',
      dimension: 'prop:plan',
      present: true,
    });
    // Rollups count event names over custom events only: a query over every event is raw.
    expect(planQuery(q({ dimensions: [{ kind: 'event', name: 'event_name' }] })).source).toBe('raw');
    expect(planQuery(q({ dimensions: [{ kind: 'event', name: 'event_name' }], filter: CUSTOM_EVENTS }))).toMatchObject({ source: 'rollup_values', dimension: 'event_name' });
  });

  it('counts everything else from raw events, joining visit rows for visit metrics', () => {
    const raw = (over: Partial<Query>) => planQuery(q(over));
    expect(raw({ dimensions: [{ kind: 'time', unit: 'hour' }] })).toEqual({ source: 'raw', visitRows: false });
    expect(raw({ dimensions: [{ kind: 'visit', name: 'source' }] }).source).toBe('raw');
    expect(raw({ dimensions: [{ kind: 'event', name: 'page' }, { kind: 'event', name: 'country' }] }).source).toBe('raw');
    expect(raw({ dimensions: [{ kind: 'event', name: 'page' }], filter: is({ kind: 'event', name: 'country' }, 'DE') }).source).toBe('raw');
    expect(raw({ filter: { type: 'condition', operator: 'contains', dimension: { kind: 'event', name: 'page' }, values: ['/a'], caseSensitive: true } }).source).toBe('raw');
    expect(raw({ dimensions: [{ kind: 'goal' }] }).source).toBe('raw');
    expect(raw({ dimensions: [{ kind: 'event', name: 'page' }], metrics: ['percentage'] }).source).toBe('raw');
    expect(raw({ metrics: ['bounce_rate'], filter: is({ kind: 'visit', name: 'source' }, 'x') })).toEqual({ source: 'raw', visitRows: true });
  });
});
