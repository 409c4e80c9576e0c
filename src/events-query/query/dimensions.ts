import { BadRequestException } from '@nestjs/common';
import { Dimension, EVENT_DIMENSIONS, EventDimensionName, PROP_PREFIX, SESSION_DIMENSIONS, SessionDimensionName } from './query-types';

export const MAX_PROP_KEY_LENGTH = 255;

/** Every dimension name, in the order error messages list them. */
export const DIMENSION_NAMES: readonly string[] = [
  'page',
  'entry_page',
  'exit_page',
  ...Object.keys(EVENT_DIMENSIONS).filter((d) => d !== 'page'),
];

const VALID_LIST = `${DIMENSION_NAMES.join(', ')}, ${PROP_PREFIX}<property key>`;

/** Parses a dimension name ("page", "prop:plan"); anything else is a 400 listing the valid ones. */
export function parseDimension(name: string, what = 'dimension'): Dimension {
  if (Object.prototype.hasOwnProperty.call(EVENT_DIMENSIONS, name)) return { kind: 'event', name: name as EventDimensionName };
  if (Object.prototype.hasOwnProperty.call(SESSION_DIMENSIONS, name)) return { kind: 'session', name: name as SessionDimensionName };
  if (name.startsWith(PROP_PREFIX)) {
    const key = name.slice(PROP_PREFIX.length);
    if (key.length > 0 && key.length <= MAX_PROP_KEY_LENGTH) return { kind: 'prop', key };
    throw new BadRequestException(`${what} "${name}" needs a property key of 1 to ${MAX_PROP_KEY_LENGTH} characters after "${PROP_PREFIX}"`);
  }
  throw new BadRequestException(`Unknown ${what} "${name}". Valid dimensions: ${VALID_LIST}`);
}

export function dimensionName(d: Dimension): string {
  return d.kind === 'prop' ? `${PROP_PREFIX}${d.key}` : d.name;
}
