import { IpcEndpoint } from '../../cluster/ipc-endpoint';
import { ClusterMessages } from '../../cluster/messages';
import { MemoryRateLimitStore, RateLimitStore, WindowCount } from './rate-limit.store';

interface HitRequest {
  key: string;
  windowMs: number;
  cost: number;
}

/**
 * A cluster worker's counters, kept by the primary: every worker counts against one window per
 * key, so a limit means the same with WORKERS=4 as with one process (REDIS_URL, when set, is
 * shared by several instances and is used instead).
 */
export class PrimaryRateLimitStore extends RateLimitStore {
  constructor(private readonly primary: IpcEndpoint) {
    super();
  }

  hit(key: string, windowMs: number, cost = 1): Promise<WindowCount> {
    return this.primary.request<WindowCount>(ClusterMessages.rateLimitHit, { key, windowMs, cost } satisfies HitRequest);
  }

  release(key: string, cost = 1): Promise<void> {
    return this.primary.request<void>(ClusterMessages.rateLimitRelease, { key, cost });
  }

  peek(key: string): Promise<WindowCount | null> {
    return this.primary.request<WindowCount | null>(ClusterMessages.rateLimitPeek, { key });
  }

  async close(): Promise<void> {
    // The counts live in the primary.
  }
}

/** The primary's side: answers a worker's rate-limit requests from the one store of the instance. */
export function serveRateLimits(worker: IpcEndpoint, store: MemoryRateLimitStore): void {
  worker.serve(ClusterMessages.rateLimitHit, (body) => {
    const { key, windowMs, cost } = body as HitRequest;
    return store.hit(key, windowMs, cost);
  });
  worker.serve(ClusterMessages.rateLimitRelease, (body) => {
    const { key, cost } = body as { key: string; cost: number };
    return store.release(key, cost);
  });
  worker.serve(ClusterMessages.rateLimitPeek, (body) => store.peek((body as { key: string }).key));
}
