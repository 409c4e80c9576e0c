import { Logger } from '@nestjs/common';
import cluster, { Worker } from 'node:cluster';
import { WORKER_SLOT_ENV } from '../config/config';
import { MemoryRateLimitStore } from '../common/rate-limit/rate-limit.store';
import { serveRateLimits } from '../common/rate-limit/primary-rate-limit.store';
import { MetricFamily, mergeFamilies } from '../metrics/prometheus-text';
import { IpcEndpoint } from './ipc-endpoint';
import { ClusterMessages } from './messages';

/** A worker that does not answer a metrics request within this is left out of the scrape. */
const METRICS_TIMEOUT_MS = 2_000;
/** Workers still running this long after SIGTERM are killed (what they acknowledged is committed). */
const STOP_TIMEOUT_MS = 60_000;
/** A worker that dies unexpectedly is replaced at once, then after 1, 2, 4... s while it keeps dying within a minute. */
const RESTART_WINDOW_MS = 60_000;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * The primary of WORKERS > 1: it serves no HTTP itself. It starts one worker per slot (each a
 * whole Footfall on the shared port), replaces one that dies, keeps the instance's rate-limit
 * counts, merges the workers' metrics for a scrape, and on SIGTERM stops the workers (each drains
 * and flushes) before it returns.
 */
export class ClusterPrimary {
  private readonly logger = new Logger('Footfall');
  private readonly limits = new MemoryRateLimitStore();
  private readonly live = new Map<Worker, IpcEndpoint>();
  private readonly crashes: number[] = [];
  private started = false;
  private stopping = false;
  private startupFailed: ((err: Error) => void) | null = null;
  private allStopped: (() => void) | null = null;

  constructor(
    private readonly workers: number,
    /** Environment each worker gets on top of the primary's (the database URL it must use). */
    private readonly workerEnv: Record<string, string>,
  ) {}

  /** Resolves once every worker listens; rejects if one exits first. */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.startupFailed = reject;
      let listening = 0;
      for (let slot = 1; slot <= this.workers; slot++) {
        this.fork(slot).once('listening', () => {
          if (++listening === this.workers) {
            this.started = true;
            this.startupFailed = null;
            resolve();
          }
        });
      }
    });
  }

  /** Asks every worker to stop and resolves once all have exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.live.size) {
      const stopped = new Promise<void>((resolve) => (this.allStopped = resolve));
      for (const worker of this.live.keys()) worker.process.kill('SIGTERM');
      const timer = setTimeout(() => {
        this.logger.error(`workers still running ${STOP_TIMEOUT_MS / 1000} s after SIGTERM: killing them`);
        for (const worker of this.live.keys()) worker.process.kill('SIGKILL');
      }, STOP_TIMEOUT_MS);
      await stopped;
      clearTimeout(timer);
    }
    await this.limits.close();
  }

  private fork(slot: number): Worker {
    const worker = cluster.fork({ ...this.workerEnv, [WORKER_SLOT_ENV]: String(slot) });
    const endpoint = new IpcEndpoint(worker);
    serveRateLimits(endpoint, this.limits);
    endpoint.serve(ClusterMessages.instanceMetrics, () => this.metrics());
    this.live.set(worker, endpoint);
    worker.once('exit', (code, signal) => {
      endpoint.close();
      this.live.delete(worker);
      this.exited(slot, worker, code, signal);
    });
    return worker;
  }

  private exited(slot: number, worker: Worker, code: number | null, signal: string | null): void {
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (this.stopping) {
      if (!this.live.size) this.allStopped?.();
      return;
    }
    if (!this.started) {
      this.startupFailed?.(new Error(`worker ${slot} (pid ${worker.process.pid}) exited with ${how} while starting`));
      this.startupFailed = null;
      return;
    }
    const now = Date.now();
    while (this.crashes.length && this.crashes[0] < now - RESTART_WINDOW_MS) this.crashes.shift();
    this.crashes.push(now);
    const delay = this.crashes.length === 1 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 1000 * 2 ** (this.crashes.length - 2));
    this.logger.error(`worker ${slot} (pid ${worker.process.pid}) exited with ${how}; starting a new one${delay ? ` in ${delay / 1000} s` : ''}`);
    setTimeout(() => {
      if (!this.stopping) this.fork(slot);
    }, delay);
  }

  /** Every live worker's own metrics, merged into the instance's. */
  private async metrics(): Promise<MetricFamily[]> {
    const parts = await Promise.all(
      [...this.live.values()].map((w) => w.request<MetricFamily[]>(ClusterMessages.workerMetrics, undefined, METRICS_TIMEOUT_MS).catch(() => null)),
    );
    return mergeFamilies(parts.filter((p): p is MetricFamily[] => p !== null));
  }
}
