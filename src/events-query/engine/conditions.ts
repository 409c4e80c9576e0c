import { Condition } from '../../analytics/query';

/** Conditions the REST adapters add to a query. */

/** Custom events only (not pageviews). */
export const CUSTOM_EVENTS: Condition = { type: 'condition', operator: 'is', dimension: { kind: 'event', name: 'kind' }, values: ['custom'], caseSensitive: true };

/** Pageviews only. */
export const PAGEVIEWS: Condition = { type: 'condition', operator: 'is', dimension: { kind: 'event', name: 'kind' }, values: ['pageview'], caseSensitive: true };

/** Custom events of one name. */
export const eventNamed = (name: string): Condition => ({ type: 'condition', operator: 'is', dimension: { kind: 'event', name: 'event_name' }, values: [name], caseSensitive: true });
