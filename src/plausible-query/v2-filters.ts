import { MATCH_OPERATORS, MatchOperator } from '../analytics/query';
import { QueryError } from '../analytics/query-error';
import { isTimeDimensionName, parseDimensionName, V2DataDimension } from './v2-dimensions';
import { isV2MetricName } from './v2-metrics';
import { regexProblem } from './v2-regex';

/** Bounds that keep any filter cheap to parse and to run. */
export const FILTER_LIMITS = {
  /** Levels of nesting, a top-level filter being level 1. */
  depth: 10,
  conditions: 200,
  clausesPerCondition: 1000,
  clauseLength: 2000,
  regexLength: 500,
  regexes: 50,
} as const;

export interface V2Condition {
  type: 'condition';
  operator: MatchOperator;
  dimension: V2DataDimension;
  values: string[];
  caseSensitive: boolean;
  /** Where it stands in the request, for what is only checked later (a goal the site lacks). */
  path: string;
}

export type V2Filter =
  | V2Condition
  | { type: 'and' | 'or'; children: V2Filter[] }
  | { type: 'not' | 'has_done' | 'has_not_done'; child: V2Filter };

export interface ParsedFilters {
  filters: V2Filter[];
  /** The filters rebuilt from what was validated, for the response's `query` echo. */
  echo: unknown[];
}

interface Budget {
  conditions: number;
  regexes: number;
}

/** Where a filter stands: inside a behavioral filter, and under and/or/not (outside one). */
interface Scope {
  behavioral: boolean;
  nested: boolean;
}

const MODIFIER_OPERATORS: readonly MatchOperator[] = ['is', 'is_not', 'contains', 'contains_not'];
const GOAL_OPERATORS: readonly MatchOperator[] = ['is', 'contains'];
const ALL_OPERATORS = [...MATCH_OPERATORS, 'and', 'or', 'not', 'has_done', 'has_not_done'];

export function parseFilters(raw: unknown): ParsedFilters {
  if (raw === undefined) return { filters: [], echo: [] };
  if (!Array.isArray(raw)) throw new QueryError('filters: must be an array of filters', 'filters');
  const budget: Budget = { conditions: 0, regexes: 0 };
  checkFanOut(raw, 'filters', budget);
  const filters: V2Filter[] = [];
  const echo: unknown[] = [];
  raw.forEach((item, i) => {
    const parsed = parseFilter(item, `filters[${i}]`, 1, budget, { behavioral: false, nested: false });
    filters.push(parsed.filter);
    echo.push(parsed.echo);
  });
  return { filters, echo };
}

interface Parsed {
  filter: V2Filter;
  echo: unknown[];
}

// Recursion is safe: a filter deeper than FILTER_LIMITS.depth is refused before its children are read.
function parseFilter(raw: unknown, path: string, depth: number, budget: Budget, scope: Scope): Parsed {
  if (depth > FILTER_LIMITS.depth) throw new QueryError(`${path}: filters may nest at most ${FILTER_LIMITS.depth} levels deep`, path);
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new QueryError(`${path}: a filter is an array such as ["is", "event:page", ["/"]]`, path);
  }
  const operator = raw[0];
  if (typeof operator !== 'string' || !ALL_OPERATORS.includes(operator)) {
    throw new QueryError(`${path}[0]: unknown filter operator; valid operators: ${ALL_OPERATORS.join(', ')}`, `${path}[0]`);
  }
  if (operator === 'and' || operator === 'or') {
    expectLength(raw, 2, path, `["${operator}", [filter, ...]]`);
    const items = raw[1];
    if (!Array.isArray(items) || items.length === 0) {
      throw new QueryError(`${path}[1]: "${operator}" takes a non-empty array of filters`, `${path}[1]`);
    }
    checkFanOut(items, `${path}[1]`, budget);
    const children = items.map((item, i) => parseFilter(item, `${path}[1][${i}]`, depth + 1, budget, nestedScope(scope)));
    return { filter: { type: operator, children: children.map((c) => c.filter) }, echo: [operator, children.map((c) => c.echo)] };
  }
  if (operator === 'not' || operator === 'has_done' || operator === 'has_not_done') {
    expectLength(raw, 2, path, `["${operator}", filter]`);
    const behavioral = operator !== 'not';
    if (behavioral && scope.behavioral) throw new QueryError(`${path}: has_done and has_not_done cannot be nested in each other`, path);
    // Inside a behavioral filter the top-level-only rule of goals does not apply, as in Plausible.
    const childScope = behavioral ? { behavioral: true, nested: false } : nestedScope(scope);
    const child = parseFilter(raw[1], `${path}[1]`, depth + 1, budget, childScope);
    return { filter: { type: operator, child: child.filter }, echo: [operator, child.echo] };
  }
  return parseCondition(raw, operator as MatchOperator, path, budget, scope);
}

function parseCondition(raw: unknown[], operator: MatchOperator, path: string, budget: Budget, scope: Scope): Parsed {
  if (raw.length !== 3 && raw.length !== 4) {
    throw new QueryError(`${path}: a condition is [operator, dimension, clauses] with an optional modifiers object`, path);
  }
  budget.conditions += 1;
  if (budget.conditions > FILTER_LIMITS.conditions) {
    throw new QueryError(`${path}: at most ${FILTER_LIMITS.conditions} conditions per query`, path);
  }
  const dimension = filterDimension(raw[1], `${path}[1]`);
  if (scope.behavioral && !dimension.name.startsWith('event:')) {
    throw new QueryError(`${path}[1]: has_done and has_not_done take event dimensions only (event:*), not ${dimension.name}`, `${path}[1]`);
  }
  if (dimension.target.kind === 'goal') {
    if (!GOAL_OPERATORS.includes(operator)) {
      throw new QueryError(`${path}[0]: event:goal can only be filtered with "is" or "contains"`, `${path}[0]`);
    }
    // Conversion rates drop the goal conditions from their denominator: only a top-level one can be dropped.
    if (scope.nested) throw new QueryError(`${path}: event:goal can only be filtered at the top level (or inside has_done/has_not_done)`, path);
  }
  if (dimension.name === 'visit:country_name' && (operator === 'matches' || operator === 'matches_not')) {
    // Names are derived from the stored codes in JS, where a pattern would not run under Postgres' engine.
    throw new QueryError(`${path}[0]: visit:country_name takes is, is_not, contains and contains_not; use matches on visit:country codes`, `${path}[0]`);
  }
  const values = parseClauses(raw[2], operator, dimension, `${path}[2]`, budget);
  const echo: unknown[] = [operator, dimension.name, [...(raw[2] as unknown[])]];
  let caseSensitive = true;
  if (raw.length === 4) {
    caseSensitive = parseModifiers(raw[3], operator, `${path}[3]`);
    echo.push({ case_sensitive: caseSensitive });
  }
  return { filter: { type: 'condition', operator, dimension, values, caseSensitive, path }, echo };
}

function filterDimension(raw: unknown, path: string): V2DataDimension {
  if (typeof raw === 'string' && isTimeDimensionName(raw)) {
    throw new QueryError(`${path}: time dimensions cannot be filtered on; set date_range instead`, path);
  }
  if (isV2MetricName(raw)) throw new QueryError(`${path}: \`${raw}\` is a metric; filters take dimensions`, path);
  const dimension = parseDimensionName(raw, path);
  if (dimension.kind !== 'data') throw new QueryError(`${path}: time dimensions cannot be filtered on; set date_range instead`, path);
  return dimension;
}

function parseClauses(raw: unknown, operator: MatchOperator, dimension: V2DataDimension, path: string, budget: Budget): string[] {
  if (!Array.isArray(raw) || raw.length === 0) throw new QueryError(`${path}: clauses are a non-empty array of strings`, path);
  if (raw.length > FILTER_LIMITS.clausesPerCondition) {
    throw new QueryError(`${path}: at most ${FILTER_LIMITS.clausesPerCondition} clauses per condition (got ${raw.length})`, path);
  }
  const regex = operator === 'matches' || operator === 'matches_not';
  if (regex) {
    budget.regexes += raw.length;
    if (budget.regexes > FILTER_LIMITS.regexes) throw new QueryError(`${path}: at most ${FILTER_LIMITS.regexes} regular expressions per query`, path);
  }
  return raw.map((clause, i) => {
    const at = `${path}[${i}]`;
    // Plausible takes numbers for visit:city (GeoName ids); Footfall stores city names, so they match nothing.
    if (dimension.name === 'visit:city' && Number.isSafeInteger(clause)) return String(clause);
    if (typeof clause !== 'string') throw new QueryError(`${at}: a clause must be a string`, at);
    if (clause.length > FILTER_LIMITS.clauseLength) {
      throw new QueryError(`${at}: a clause may be at most ${FILTER_LIMITS.clauseLength} characters`, at);
    }
    if (regex) {
      if (clause.length > FILTER_LIMITS.regexLength) {
        throw new QueryError(`${at}: a regular expression may be at most ${FILTER_LIMITS.regexLength} characters`, at);
      }
      const problem = regexProblem(clause);
      if (problem) throw new QueryError(`${at}: regular expression refused: ${problem}`, at);
    }
    if (dimension.name === 'visit:country' && (operator === 'is' || operator === 'is_not')) {
      if (!/^[A-Za-z]{2}$/.test(clause)) throw new QueryError(`${at}: visit:country takes 2-letter ISO 3166-1 country codes`, at);
      return clause.toUpperCase();
    }
    return clause;
  });
}

function parseModifiers(raw: unknown, operator: MatchOperator, path: string): boolean {
  if (!MODIFIER_OPERATORS.includes(operator)) {
    throw new QueryError(`${path}: "${operator}" takes no modifiers; start the pattern with (?i) to ignore case`, path);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new QueryError(`${path}: modifiers must be an object`, path);
  for (const key of Object.keys(raw)) {
    if (key !== 'case_sensitive') throw new QueryError(`${path}: unknown modifier ${JSON.stringify(key.slice(0, 100))}; the only one is case_sensitive`, path);
  }
  const value = (raw as Record<string, unknown>).case_sensitive;
  if (value === undefined) return true;
  if (typeof value !== 'boolean') throw new QueryError(`${path}.case_sensitive: must be true or false`, `${path}.case_sensitive`);
  return value;
}

/** Every filter holds a condition: a list longer than the conditions left is refused before it is read. */
function checkFanOut(items: unknown[], path: string, budget: Budget): void {
  if (items.length > FILTER_LIMITS.conditions - budget.conditions) {
    throw new QueryError(`${path}: at most ${FILTER_LIMITS.conditions} conditions per query`, path);
  }
}

/** Under and/or/not: nested, except inside a behavioral filter, where nesting is not restricted. */
function nestedScope(scope: Scope): Scope {
  return { behavioral: scope.behavioral, nested: !scope.behavioral };
}

function expectLength(raw: unknown[], length: number, path: string, form: string): void {
  if (raw.length !== length) throw new QueryError(`${path}: write it as ${form}`, path);
}

/** Every condition of the tree, with whether it stands inside a behavioral filter. */
export function conditionsOf(filters: readonly V2Filter[]): { condition: V2Condition; behavioral: boolean }[] {
  const found: { condition: V2Condition; behavioral: boolean }[] = [];
  // Depth-first in the request's order (the stack holds siblings reversed).
  const stack = filters.map((filter) => ({ filter, behavioral: false })).reverse();
  while (stack.length > 0) {
    const { filter, behavioral } = stack.pop() as { filter: V2Filter; behavioral: boolean };
    if (filter.type === 'condition') found.push({ condition: filter, behavioral });
    else if ('children' in filter) stack.push(...filter.children.map((child) => ({ filter: child, behavioral })).reverse());
    else stack.push({ filter: filter.child, behavioral: behavioral || filter.type !== 'not' });
  }
  return found;
}
