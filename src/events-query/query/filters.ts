import { BadRequestException } from '@nestjs/common';
import { parseDimension } from './dimensions';
import { Filter, Operator, OPERATORS } from './query-types';

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
    throw new BadRequestException(
      `Unknown filter operator "${m[1]}" in filter[${dimension}]. Valid operators: ${OPERATORS.join(', ')} (write "is:${raw}" to match a value containing a colon)`,
    );
  }
  return { operator: m[1] as Operator, value: raw.slice(m[0].length) };
}

/**
 * Every filter[<dimension>]=[<operator>:]value of a query string (Fastify hands the keys over
 * literally; a repeated key arrives as an array). Filters combine with AND.
 */
export function parseFilters(query: Record<string, unknown> | null | undefined): Filter[] {
  const filters: Filter[] = [];
  for (const [key, raw] of Object.entries(query ?? {})) {
    if (key === 'filter' || key.startsWith('filter.')) {
      throw new BadRequestException('Filters are written filter[<dimension>]=[<operator>:]value, e.g. filter[page]=contains:/blog');
    }
    const m = FILTER_KEY.exec(key);
    if (!m) continue;
    const dimension = parseDimension(m[1], 'filter dimension');
    for (const item of Array.isArray(raw) ? raw : [raw]) {
      if (typeof item !== 'string') throw new BadRequestException(`filter[${m[1]}] must be a string`);
      if (item.length > MAX_FILTER_VALUE_LENGTH) throw new BadRequestException(`filter[${m[1]}] must be ${MAX_FILTER_VALUE_LENGTH} characters or fewer`);
      filters.push({ dimension, ...parseFilterValue(m[1], item) });
    }
  }
  if (filters.length > MAX_FILTERS) throw new BadRequestException(`At most ${MAX_FILTERS} filters per query`);
  return filters;
}
