import { TIME_UNITS, TimeUnit } from '../../analytics/query';

/** The enumerations of Footfall's REST query routes (their names are part of the documented API). */
export const GRANULARITIES = TIME_UNITS;
export type Granularity = TimeUnit;

/** The time series route's metrics: pageviews, distinct visitors, visits and custom events. */
export const METRICS = ['pageviews', 'visitors', 'sessions', 'events'] as const;
export type Metric = (typeof METRICS)[number];

export { OPERATORS } from './filters';
