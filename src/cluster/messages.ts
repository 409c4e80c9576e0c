/** Requests between a cluster's primary and its workers (see IpcEndpoint). */
export const ClusterMessages = {
  /** Worker to primary: count a rate-limit hit in the instance's one store. */
  rateLimitHit: 'rate-limit.hit',
  /** Worker to primary: give back part of a rate-limit count (an unused reservation). */
  rateLimitRelease: 'rate-limit.release',
  /** Worker to primary: read a rate-limit window without counting. */
  rateLimitPeek: 'rate-limit.peek',
  /** Worker to primary, when scraped: every worker's metrics, merged. */
  instanceMetrics: 'metrics.instance',
  /** Primary to each worker: its own metrics. */
  workerMetrics: 'metrics.worker',
} as const;
