import { FilterDimension, TimeUnit, VisitField } from '../analytics/query';
import { QueryError } from '../analytics/query-error';

/** A Stats API v2 dimension: the name as the request wrote it (echoed back) and what it reads. */
export type V2Dimension =
  | { name: string; kind: 'data'; target: FilterDimension }
  /** `time` alone is 'auto': the unit follows the resolved date range. */
  | { name: string; kind: 'time'; unit: TimeUnit | 'auto' };

export type V2DataDimension = Extract<V2Dimension, { kind: 'data' }>;

export const PROP_PREFIX = 'event:props:';
export const MAX_PROP_KEY_LENGTH = 255;

const EVENT_DIMENSIONS: Readonly<Record<string, FilterDimension>> = {
  'event:page': { kind: 'event', name: 'page' },
  'event:hostname': { kind: 'event', name: 'hostname' },
  'event:name': { kind: 'event', name: 'event_name' },
  'event:goal': { kind: 'goal' },
};

// Region and city are stored as English names and no GeoName ids are kept, so the code forms
// (visit:region, visit:city) read the same fields as their _name forms.
const VISIT_DIMENSIONS: Readonly<Record<string, VisitField>> = {
  'visit:entry_page': 'entry_page',
  'visit:exit_page': 'exit_page',
  // A visit's attributes are those of its first event: its hostname is the entry page's.
  'visit:entry_page_hostname': 'hostname',
  'visit:source': 'source',
  'visit:referrer': 'referrer',
  'visit:utm_source': 'utm_source',
  'visit:utm_medium': 'utm_medium',
  'visit:utm_campaign': 'utm_campaign',
  'visit:utm_term': 'utm_term',
  'visit:utm_content': 'utm_content',
  'visit:device': 'device',
  'visit:browser': 'browser',
  'visit:browser_version': 'browser_version',
  'visit:os': 'os',
  'visit:os_version': 'os_version',
  'visit:country': 'country',
  'visit:region': 'region',
  'visit:city': 'city',
  'visit:country_name': 'country',
  'visit:region_name': 'region',
  'visit:city_name': 'city',
};

const TIME_DIMENSIONS: Readonly<Record<string, TimeUnit | 'auto'>> = {
  time: 'auto',
  'time:hour': 'hour',
  'time:day': 'day',
  'time:week': 'week',
  'time:month': 'month',
};

/** Plausible has these; Footfall keeps nothing they could be computed from. */
const NOT_RECORDED: Readonly<Record<string, string>> = {
  'visit:channel': 'acquisition channels',
  'visit:exit_page_hostname': "the hostname of a visit's last page",
  'visit:screen': 'screen size classes (use visit:device)',
  'time:minute': 'minute buckets',
  segment: 'saved segments',
};

export function isTimeDimensionName(name: string): boolean {
  return name in TIME_DIMENSIONS || name.startsWith('time:');
}

/** A dimension name of the request, or a QueryError naming `path`. */
export function parseDimensionName(raw: unknown, path: string): V2Dimension {
  if (typeof raw !== 'string') throw new QueryError(`${path}: a dimension must be a string`, path);
  if (Object.hasOwn(TIME_DIMENSIONS, raw)) return { name: raw, kind: 'time', unit: TIME_DIMENSIONS[raw] };
  if (Object.hasOwn(EVENT_DIMENSIONS, raw)) return { name: raw, kind: 'data', target: EVENT_DIMENSIONS[raw] };
  if (Object.hasOwn(VISIT_DIMENSIONS, raw)) return { name: raw, kind: 'data', target: { kind: 'visit', name: VISIT_DIMENSIONS[raw] } };
  if (raw.startsWith(PROP_PREFIX)) {
    const key = raw.slice(PROP_PREFIX.length);
    if (key.length === 0 || key.length > MAX_PROP_KEY_LENGTH) {
      throw new QueryError(`${path}: a custom property key must be 1 to ${MAX_PROP_KEY_LENGTH} characters (event:props:<key>)`, path);
    }
    return { name: raw, kind: 'data', target: { kind: 'prop', key } };
  }
  if (Object.hasOwn(NOT_RECORDED, raw)) {
    throw new QueryError(`${path}: Footfall does not record ${NOT_RECORDED[raw]}, so it cannot answer \`${raw}\``, path);
  }
  throw new QueryError(`${path}: unknown dimension ${JSON.stringify(raw.slice(0, 100))}`, path);
}

/** Event dimensions: one value per event (Plausible forbids visit metrics beside them). */
export function isEventDimension(dimension: V2Dimension): boolean {
  return dimension.name.startsWith('event:');
}
