import { must, type Api, type Paths } from '../api/client';
import type { Filter } from './state';

type V2 = Paths['/api/v2/query']['post'];
export type V2Request = V2['requestBody']['content']['application/json'];
export type V2Response = V2['responses'][200]['content']['application/json'];
export type V2Metric = V2Request['metrics'][number];

/** Runs one Stats API v2 query. */
export const v2 = (api: Api, body: V2Request): Promise<V2Response> => must(api.POST('/api/v2/query', { body }));

/** Dashboard filters as v2 filters: each an `is` condition, all AND-ed. */
export const v2Filters = (filters: Filter[]): unknown[][] => filters.map(([dimension, value]) => ['is', dimension, [value]]);

/** The metrics the answer marks as estimated (from rollup sketches). */
export function estimatedMetrics(res: V2Response): Set<string> {
  const warnings = (res.meta as { metric_warnings?: Record<string, { code?: string }> }).metric_warnings ?? {};
  return new Set(Object.entries(warnings).filter(([, w]) => w?.code === 'estimated').map(([m]) => m));
}
