import { QueryError } from '../../analytics/query-error';
import { parseDimension } from './dimensions';
import { requireEventName } from './event-name';
import { filterParams, parseFilters } from './filters';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(QueryError);
    return (err as QueryError).message;
  }
  throw new Error('expected a QueryError');
}

describe('parseFilters', () => {
  it('reads filter[<dimension>] keys with optional operators, repeated keys included', () => {
    expect(parseFilters(filterParams({ 'filter[page]': 'contains:/blog', 'filter[country]': ['is_not:US', 'DE'], start_date: '2026-01-01' }))).toEqual([
      { type: 'condition', dimension: { kind: 'event', name: 'page' }, operator: 'contains', values: ['/blog'], caseSensitive: false },
      { type: 'condition', dimension: { kind: 'event', name: 'country' }, operator: 'is_not', values: ['US'], caseSensitive: true },
      { type: 'condition', dimension: { kind: 'event', name: 'country' }, operator: 'is', values: ['DE'], caseSensitive: true },
    ]);
  });

  it('knows session dimensions and properties', () => {
    expect(parseFilters(filterParams({ 'filter[entry_page]': '/', 'filter[prop:plan]': 'is:pro' }))).toEqual([
      { type: 'condition', dimension: { kind: 'visit', name: 'entry_page' }, operator: 'is', values: ['/'], caseSensitive: true },
      { type: 'condition', dimension: { kind: 'prop', key: 'plan' }, operator: 'is', values: ['pro'], caseSensitive: true },
    ]);
  });

  it('keeps colons in values that do not start with a word', () => {
    expect(parseFilters(filterParams({ 'filter[page]': '/a:b' }))[0]).toMatchObject({ operator: 'is', values: ['/a:b'] });
    expect(parseFilters(filterParams({ 'filter[utm_campaign]': 'is:spring:sale' }))[0]).toMatchObject({ operator: 'is', values: ['spring:sale'] });
  });

  it('rejects unknown dimensions and operators, listing the valid ones', () => {
    expect(message(() => parseFilters(filterParams({ 'filter[planet]': 'mars' })))).toMatch(/^Unknown filter dimension "planet". Valid dimensions: page, entry_page, exit_page, hostname, .*prop:<property key>$/);
    expect(message(() => parseFilters(filterParams({ 'filter[page]': 'starts_with:/a' })))).toMatch(/^Unknown filter operator "starts_with" in filter\[page\]. Valid operators: is, is_not, contains/);
    expect(message(() => parseFilters(filterParams({ filter: 'x' })))).toMatch(/filter\[<dimension>\]/);
    expect(message(() => parseFilters(filterParams({ 'filter[prop:]': 'x' })))).toMatch(/needs a property key/);
  });
});

describe('parseDimension', () => {
  it('maps names to dimensions', () => {
    expect(parseDimension('exit_page')).toEqual({ kind: 'visit', name: 'exit_page' });
    expect(parseDimension('event_name')).toEqual({ kind: 'event', name: 'event_name' });
    expect(parseDimension('prop:a b')).toEqual({ kind: 'prop', key: 'a b' });
    expect(message(() => parseDimension('toString'))).toMatch(/^Unknown dimension "toString"/);
  });
});

describe('requireEventName', () => {
  it('answers with the Sparklytics messages', () => {
    expect(message(() => requireEventName(undefined))).toBe('event_name query parameter is required');
    expect(message(() => requireEventName('   '))).toBe('event_name must not be empty');
    expect(message(() => requireEventName('x'.repeat(256)))).toBe('event_name must be 255 characters or fewer');
    expect(requireEventName(' purchase ')).toBe('purchase');
    expect(requireEventName('x'.repeat(255))).toHaveLength(255);
  });
});
