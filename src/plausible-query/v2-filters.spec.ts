import { conditionsOf, FILTER_LIMITS, parseFilters } from './v2-filters';
import { queryErrorOf } from '../../test/support/query-error';

const errorOf = (filters: unknown) => queryErrorOf(() => parseFilters(filters));

const page = (...values: unknown[]) => ['is', 'event:page', values];

describe('parseFilters', () => {
  it('accepts every operator, logical form and modifier', () => {
    const { filters, echo } = parseFilters([
      ['is', 'visit:browser', ['Firefox']],
      ['is_not', 'event:page', ['/x'], { case_sensitive: false }],
      ['contains', 'event:props:plan', ['pro']],
      ['contains_not', 'visit:referrer', ['spam']],
      ['matches', 'visit:utm_campaign', ['^spring_(sale|launch)$']],
      ['matches_not', 'event:hostname', ['\\.test$']],
      ['and', [page('/a'), ['or', [page('/b'), ['not', page('/c')]]]]],
      ['has_done', ['or', [['is', 'event:name', ['Download']], ['contains', 'event:goal', ['Sign']]]]],
      ['has_not_done', ['is', 'event:goal', ['Purchase']]],
      ['is', 'visit:city', [658225, 'Helsinki']],
    ]);
    expect(filters).toHaveLength(10);
    expect(echo[1]).toEqual(['is_not', 'event:page', ['/x'], { case_sensitive: false }]);
    expect(echo[9]).toEqual(['is', 'visit:city', [658225, 'Helsinki']]);
    expect(filters[9]).toEqual(expect.objectContaining({ values: ['658225', 'Helsinki'] }));
    expect(conditionsOf(filters).map(({ condition, behavioral }) => [condition.path, behavioral])).toEqual([
      ['filters[0]', false],
      ['filters[1]', false],
      ['filters[2]', false],
      ['filters[3]', false],
      ['filters[4]', false],
      ['filters[5]', false],
      ['filters[6][1][0]', false],
      ['filters[6][1][1][1][0]', false],
      ['filters[6][1][1][1][1][1]', false],
      ['filters[7][1][1][0]', true],
      ['filters[7][1][1][1]', true],
      ['filters[8][1]', true],
      ['filters[9]', false],
    ]);
  });

  it('accepts no filters', () => {
    expect(parseFilters(undefined)).toEqual({ filters: [], echo: [] });
    expect(parseFilters([])).toEqual({ filters: [], echo: [] });
  });

  const cases: [string, unknown, string, RegExp][] = [
    ['filters not an array', { is: 'x' }, 'filters', /array of filters/],
    ['a filter that is not an array', ['is'], 'filters[0]', /a filter is an array/],
    ['an unknown operator', [['equals', 'event:page', ['/']]], 'filters[0][0]', /unknown filter operator/],
    ['a condition without clauses', [['is', 'event:page']], 'filters[0]', /\[operator, dimension, clauses\]/],
    ['a condition with five parts', [['is', 'event:page', ['/'], {}, 1]], 'filters[0]', /\[operator, dimension, clauses\]/],
    ['an unknown dimension', [['is', 'event:nonsense', ['/']]], 'filters[0][1]', /unknown dimension/],
    ['a filter on a metric', [['is', 'visitors', ['10']]], 'filters[0][1]', /is a metric/],
    ['a filter on time', [['is', 'time:day', ['2024-01-01']]], 'filters[0][1]', /set date_range/],
    ['a filter on a segment', [['is', 'segment', [2]]], 'filters[0][1]', /saved segments/],
    ['clauses not an array', [['is', 'event:page', '/']], 'filters[0][2]', /non-empty array/],
    ['empty clauses', [['is', 'event:page', []]], 'filters[0][2]', /non-empty array/],
    ['a numeric clause', [['is', 'event:page', [1]]], 'filters[0][2][0]', /string/],
    ['a null clause', [['is', 'event:page', ['/', null]]], 'filters[0][2][1]', /string/],
    ['a long clause', [['is', 'event:page', ['x'.repeat(2001)]]], 'filters[0][2][0]', /2000 characters/],
    ['a country that is not a code', [['is', 'visit:country', ['Finland']]], 'filters[0][2][0]', /2-letter/],
    ['a goal filtered with is_not', [['is_not', 'event:goal', ['Signup']]], 'filters[0][0]', /"is" or "contains"/],
    ['a goal filtered with matches', [['matches', 'event:goal', ['Sign.*']]], 'filters[0][0]', /"is" or "contains"/],
    ['a goal inside or', [['or', [['is', 'event:goal', ['A']], page('/')]]], 'filters[0][1][0]', /top level/],
    ['a goal inside not', [['not', ['is', 'event:goal', ['A']]]], 'filters[0][1]', /top level/],
    ['a visit dimension in has_done', [['has_done', ['is', 'visit:source', ['Google']]]], 'filters[0][1][1]', /event dimensions only/],
    ['nested has_done', [['has_done', ['not', ['has_not_done', page('/')]]]], 'filters[0][1][1]', /cannot be nested/],
    ['an empty and', [['and', []]], 'filters[0][1]', /non-empty array/],
    ['and with a bare condition', [['and', page('/')]], 'filters[0][1][0]', /a filter is an array/],
    ['not with two filters', [['not', page('/'), page('/b')]], 'filters[0]', /\["not", filter\]/],
    ['modifiers that are not an object', [['is', 'event:page', ['/'], true]], 'filters[0][3]', /object/],
    ['an unknown modifier', [['is', 'event:page', ['/'], { whole_word: true }]], 'filters[0][3]', /unknown modifier/],
    ['a non-boolean case_sensitive', [['is', 'event:page', ['/'], { case_sensitive: 'no' }]], 'filters[0][3].case_sensitive', /true or false/],
    ['modifiers on matches', [['matches', 'event:page', ['^/'], { case_sensitive: false }]], 'filters[0][3]', /\(\?i\)/],
    ['regular expressions on country names', [['matches', 'visit:country_name', ['^F']]], 'filters[0][0]', /visit:country codes/],
    ['a long regular expression', [['matches', 'event:page', ['a'.repeat(501)]]], 'filters[0][2][0]', /500 characters/],
    ['a back-reference', [['matches', 'event:page', ['^/(a+)\\1$']]], 'filters[0][2][0]', /back-references/],
    ['a catastrophic pattern', [['matches', 'event:page', ['((a{1,200}){1,200}){1,200}']]], 'filters[0][2][0]', /repeated group/],
    ['a repetition over 255', [['matches', 'event:page', ['a{1,1000}']]], 'filters[0][2][0]', /exceed 255/],
    ['an unbalanced pattern', [['matches_not', 'event:page', ['(abc']]], 'filters[0][2][0]', /never closed/],
  ];

  it.each(cases)('refuses %s', (_name, filters, field, message) => {
    const error = errorOf(filters);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`${field}:`)).toBe(true);
  });

  it('refuses nesting deeper than the limit without walking the rest', () => {
    let deep: unknown = page('/');
    for (let i = 0; i < 10_000; i += 1) deep = ['not', deep];
    const error = errorOf([deep]);
    expect(error.message).toMatch(/at most 10 levels/);
    expect(error.field).toBe(`filters[0]${'[1]'.repeat(FILTER_LIMITS.depth)}`);

    let nestedAnd: unknown = page('/');
    for (let i = 0; i < 10_000; i += 1) nestedAnd = ['and', [nestedAnd]];
    expect(errorOf([nestedAnd]).message).toMatch(/at most 10 levels/);

    let arrays: unknown = [];
    for (let i = 0; i < 10_000; i += 1) arrays = [arrays];
    expect(errorOf(arrays).message).toMatch(/unknown filter operator/);
  });

  it('accepts exactly ten levels', () => {
    let filter: unknown = page('/');
    for (let i = 0; i < FILTER_LIMITS.depth - 1; i += 1) filter = ['not', filter];
    expect(parseFilters([filter]).filters).toHaveLength(1);
  });

  it('refuses a 100,000-clause list before reading it', () => {
    const clauses = Array.from({ length: 100_000 }, (_, i) => `/page/${i}`);
    const error = errorOf([['is', 'event:page', clauses]]);
    expect(error.field).toBe('filters[0][2]');
    expect(error.message).toMatch(/at most 1000 clauses per condition \(got 100000\)/);
    expect(parseFilters([['is', 'event:page', clauses.slice(0, 1000)]]).filters).toHaveLength(1);
  });

  it('counts conditions across the whole tree', () => {
    const twoHundred = Array.from({ length: 200 }, (_, i) => page(`/${i}`));
    expect(parseFilters([['or', twoHundred]]).filters).toHaveLength(1);
    expect(errorOf([['or', [...twoHundred, page('/x')]]]).message).toMatch(/at most 200 conditions/);
    expect(errorOf([page('/'), ['and', twoHundred]]).field).toBe('filters[1][1]');
    expect(errorOf(Array.from({ length: 250_000 }, () => page('/'))).field).toBe('filters');
  });

  it('counts regular expressions across the query', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => `^/${i}$`);
    expect(parseFilters([['matches', 'event:page', fifty]]).filters).toHaveLength(1);
    const error = errorOf([['matches', 'event:page', fifty], ['matches_not', 'visit:referrer', ['spam']]]);
    expect(error.field).toBe('filters[1][2]');
    expect(error.message).toMatch(/at most 50 regular expressions/);
  });
});
