import { Condition, FilterNode, GoalDefinition, MatchOperator } from '../analytics/query';
import { QueryError } from '../analytics/query-error';
import { countryCodesWhere } from './v2-countries';
import { V2Condition, V2Filter } from './v2-filters';

/**
 * The request's filters as one canonical filter tree (top-level filters are combined with AND),
 * or null when there are none. Goal names are checked against the website's goals here.
 */
export function toFilterNode(filters: readonly V2Filter[], goals: readonly GoalDefinition[]): FilterNode | null {
  const nodes = filters.map((filter) => toNode(filter, goals));
  if (nodes.length === 0) return null;
  return nodes.length === 1 ? nodes[0] : { type: 'and', children: nodes };
}

// The tree is at most FILTER_LIMITS.depth deep (checked when parsed), so recursion is bounded.
function toNode(filter: V2Filter, goals: readonly GoalDefinition[]): FilterNode {
  if (filter.type === 'condition') return conditionNode(filter, goals);
  if ('children' in filter) return { type: filter.type, children: filter.children.map((child) => toNode(child, goals)) };
  return { type: filter.type, child: toNode(filter.child, goals) };
}

function conditionNode(condition: V2Condition, goals: readonly GoalDefinition[]): FilterNode {
  const { operator } = condition;
  if (condition.dimension.target.kind === 'goal' && operator === 'is') checkGoalsExist(condition, goals);
  // Plausible reads "" as "not set": `is_not [""]` keeps the visits where the value is known.
  if ((operator === 'is' || operator === 'is_not') && condition.values.includes('') && condition.dimension.target.kind !== 'goal') {
    const rest = condition.values.filter((v) => v !== '');
    const known: FilterNode = { type: 'present', dimension: condition.dimension.target };
    const notSet: FilterNode = { type: 'not', child: known };
    if (rest.length === 0) return operator === 'is' ? notSet : known;
    const others = valueNode({ ...condition, values: rest });
    return operator === 'is' ? { type: 'or', children: [others, notSet] } : { type: 'and', children: [others, known] };
  }
  return valueNode(condition);
}

/** Pageviews, which Plausible names "pageview" and Footfall stores without a name. */
const PAGEVIEW: Condition = { type: 'condition', operator: 'is', dimension: { kind: 'event', name: 'kind' }, values: ['pageview'], caseSensitive: true };

function valueNode(condition: V2Condition): FilterNode {
  const { operator, values, caseSensitive } = condition;
  const isPageview = (v: string) => (caseSensitive ? v === 'pageview' : v.toLowerCase() === 'pageview');
  if (condition.dimension.name === 'event:name' && (operator === 'is' || operator === 'is_not') && values.some(isPageview)) {
    const rest = values.filter((v) => !isPageview(v));
    const named = rest.length ? [leaf(condition, 'is', rest, caseSensitive)] : [];
    const either: FilterNode = named.length ? { type: 'or', children: [...named, PAGEVIEW] } : PAGEVIEW;
    return operator === 'is' ? either : { type: 'not', child: either };
  }
  if (condition.dimension.name === 'visit:country_name') return countryNameNode(condition);
  // Device types are stored in lower case ("desktop"); Plausible names them "Desktop".
  if (condition.dimension.name === 'visit:device') return leaf(condition, operator, values, false);
  return leaf(condition, operator, values, caseSensitive);
}

/** Country names become the codes Footfall stores: the codes whose English name passes the test. */
function countryNameNode(condition: V2Condition): FilterNode {
  const { operator, values, caseSensitive } = condition;
  const fold = (s: string) => (caseSensitive ? s : s.toLowerCase());
  let test: (name: string) => boolean;
  if (operator === 'is' || operator === 'is_not') {
    const wanted = new Set(values.map(fold));
    test = (name) => wanted.has(fold(name));
  } else {
    // Regular expressions on names are refused when parsed (they would run in JS, not Postgres).
    const parts = values.map(fold);
    test = (name) => parts.some((part) => fold(name).includes(part));
  }
  const negated = operator.endsWith('_not');
  const codes = countryCodesWhere(test);
  // No country matches: "" equals no stored code, so `is` holds for none and `is_not` for all.
  return leaf(condition, negated ? 'is_not' : 'is', codes.length > 0 ? codes : [''], true);
}

function leaf(condition: V2Condition, operator: MatchOperator, values: string[], caseSensitive: boolean): Condition {
  return { type: 'condition', operator, dimension: condition.dimension.target, values, caseSensitive };
}

function checkGoalsExist(condition: V2Condition, goals: readonly GoalDefinition[]): void {
  const fold = (s: string) => (condition.caseSensitive ? s : s.toLowerCase());
  const names = new Set(goals.map((goal) => fold(goal.displayName)));
  condition.values.forEach((value, i) => {
    if (!names.has(fold(value))) {
      const path = `${condition.path}[2][${i}]`;
      throw new QueryError(`${path}: the goal ${JSON.stringify(value.slice(0, 200))} is not configured for this website`, path);
    }
  });
}
