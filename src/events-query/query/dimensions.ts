import { ROLLED_UP_FIELDS } from '../../analytics/day-summary';
import { Dimension, EventField } from '../../analytics/query';
import { QueryError } from '../../analytics/query-error';

/** Footfall's REST dimension names: the visit's entry and exit pages, every rolled-up event field, and prop:<key>. */
export const PROP_PREFIX = 'prop:';
export const MAX_PROP_KEY_LENGTH = 255;

const VISIT_NAMES = { entry_page: 'entry_page', exit_page: 'exit_page' } as const;

/** Every dimension name, in the order error messages list them; goal: the display name of each goal an event completes. */
export const DIMENSION_NAMES: readonly string[] = ['page', 'entry_page', 'exit_page', ...ROLLED_UP_FIELDS.filter((d) => d !== 'page'), 'goal'];

const VALID_LIST = `${DIMENSION_NAMES.join(', ')}, ${PROP_PREFIX}<property key>`;

/** Parses a dimension name ("page", "prop:plan"); anything else is an error listing the valid ones. */
export function parseDimension(name: string, what = 'dimension'): Dimension {
  if ((ROLLED_UP_FIELDS as readonly string[]).includes(name)) return { kind: 'event', name: name as EventField };
  if (name === 'goal') return { kind: 'goal' };
  if (Object.prototype.hasOwnProperty.call(VISIT_NAMES, name)) return { kind: 'visit', name: name as keyof typeof VISIT_NAMES };
  if (name.startsWith(PROP_PREFIX)) {
    const key = name.slice(PROP_PREFIX.length);
    if (key.length > 0 && key.length <= MAX_PROP_KEY_LENGTH) return { kind: 'prop', key };
    throw new QueryError(`${what} "${name}" needs a property key of 1 to ${MAX_PROP_KEY_LENGTH} characters after "${PROP_PREFIX}"`);
  }
  throw new QueryError(`Unknown ${what} "${name}". Valid dimensions: ${VALID_LIST}`);
}
