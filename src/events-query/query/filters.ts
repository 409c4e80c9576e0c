import { Condition, FilterNode } from '../../analytics/query';
import { QueryError } from '../../analytics/query-error';
import { parseDimension } from './dimensions';

/** The operators of Footfall's REST filters; `contains` ignores case. */
export const OPERATORS = ['is', 'is_not', 'contains'] as const;
export type Operator = (typeof OPERATORS)[number];

export const MAX_FILTERS = 20;
export const MAX_FILTER_VALUE_LENGTH = 2048;
const FILTER_KEY = /^filter\[(.*)\]$/;
/** "contains:/blog" names an operator; a value like "/a:b" does not (its prefix is not a word). */
const OPERATOR_PREFIX = /^([a-z_]+):/;

/** One filter value: "value" (is), or "<operator>:value". */
export function parseFilterValue(dimension: string, raw: string): { operator: Operator; value: string } {
  const m = OPERATOR_PREFIX.exec(raw);
  if (!m) return { operator: 'is', value: raw };
  if (!(OPERATORS as readonly string[]).includes(m[1])) {
    throw new QueryError(
      `Unknown filter operator "${m[1]}" in filter[${dimension}]. Valid operators: ${OPERATORS.join(', ')} (write "is:${raw}" to match a value containing a colon)`,
    );
  }
  return { operator: m[1] as Operator, value: raw.slice(m[0].length) };
}

/** The filter[<dimension>] parameters of a query string, not yet validated (a route checks access first). */
export interface FilterParams {
  entries: { dimension: string; values: unknown[] }[];
  /** A `filter` or `filter.x` key: filters written in another syntax. */
  misspelt: boolean;
}

/** Picks the filter parameters out of a query string (Fastify hands the keys over literally; a repeated key arrives as an array). */
export function filterParams(query: Record<string, unknown> | null | undefined): FilterParams {
  const out: FilterParams = { entries: [], misspelt: false };
  for (const [key, raw] of Object.entries(query ?? {})) {
    if (key === 'filter' || key.startsWith('filter.')) out.misspelt = true;
    const m = FILTER_KEY.exec(key);
    if (m) out.entries.push({ dimension: m[1], values: Array.isArray(raw) ? raw : [raw] });
  }
  return out;
}

/** Every filter[<dimension>]=[<operator>:]value as a condition; they combine with AND. */
export function parseFilters(params: FilterParams): Condition[] {
  if (params.misspelt) throw new QueryError('Filters are written filter[<dimension>]=[<operator>:]value, e.g. filter[page]=contains:/blog');
  const filters: Condition[] = [];
  for (const { dimension: name, values } of params.entries) {
    const dimension = parseDimension(name, 'filter dimension');
    if (dimension.kind === 'time') throw new QueryError(`filter[${name}] cannot filter on time`);
    for (const item of values) {
      if (typeof item !== 'string') throw new QueryError(`filter[${name}] must be a string`);
      if (item.length > MAX_FILTER_VALUE_LENGTH) throw new QueryError(`filter[${name}] must be ${MAX_FILTER_VALUE_LENGTH} characters or fewer`);
      const { operator, value } = parseFilterValue(name, item);
      filters.push({ type: 'condition', operator, dimension, values: [value], caseSensitive: operator !== 'contains' });
    }
  }
  if (filters.length > MAX_FILTERS) throw new QueryError(`At most ${MAX_FILTERS} filters per query`);
  return filters;
}

/** Conditions combined with AND (null for none). */
export function allOf(conditions: readonly FilterNode[]): FilterNode | null {
  return conditions.length === 0 ? null : conditions.length === 1 ? conditions[0] : { type: 'and', children: conditions };
}
