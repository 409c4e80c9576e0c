import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { PendingDay, RollupsRepository } from './rollups.repository';

const HOUR_MS = 3_600_000;
const DAYS_PER_ROUND = 200;

/**
 * Keeps the daily rollups current: every ROLLUP_INTERVAL_MS it recomputes, from the raw events,
 * each local day that received events in a slot that has closed. A day still running is covered
 * up to its last whole hour. Several instances may run it: each day is recomputed under a
 * transaction-scoped advisory lock, and change marks are consumed in the same transaction.
 */
@Injectable()
export class RollupJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RollupJob.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = false;
  /** Counters for /metrics. */
  readonly stats = { passes: 0, daysRecomputed: 0, failures: 0, lastPassMs: 0 };

  constructor(
    private readonly repo: RollupsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.rollups.intervalMs;
    // In a cluster, the first worker runs it for the instance.
    if (!every || !this.config.backgroundJobs) return;
    this.timer = setInterval(() => void this.run(), every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass (joins the pass already running); resolves to the number of days recomputed. */
  run(now = new Date()): Promise<number> {
    this.running ??= this.pass(now).finally(() => (this.running = null));
    return this.running;
  }

  private async pass(now: Date): Promise<number> {
    const closed = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
    const seen = new Set<string>();
    const started = Date.now();
    let done = 0;
    try {
      await this.repo.resetChangedTimezones();
      await this.repo.dropOrphanMarks();
      for (const w of await this.repo.websitesWithUnknownZones(closed)) {
        this.stats.failures++;
        this.logger.warn(`rollups: website ${w.websiteId} skipped: Postgres does not know its time zone "${w.timezone}" (its changes wait until the zone is fixed)`);
      }
      for (;;) {
        const days = (await this.repo.pendingDays(closed, DAYS_PER_ROUND)).filter((d) => !seen.has(`${d.websiteId}\u0000${d.day}`));
        if (!days.length) break;
        for (const d of days) {
          if (this.stopped) return done;
          seen.add(`${d.websiteId}\u0000${d.day}`);
          const coveredUntil = new Date(Math.min(d.dayEnd.getTime(), closed.getTime()));
          if (coveredUntil <= d.dayStart) continue;
          if (await this.recompute(d, coveredUntil)) {
            done++;
            this.stats.daysRecomputed++;
          }
        }
      }
      if (done) this.logger.log(`rollups: recomputed ${done} day(s) in ${Date.now() - started} ms`);
    } catch (err) {
      this.stats.failures++;
      this.logger.warn(`rollups: pass failed after ${done} day(s) (next pass retries): ${(err as Error).message}`);
    }
    this.stats.passes++;
    this.stats.lastPassMs = Date.now() - started;
    return done;
  }

  /** One website-day; a failure is logged and leaves its change marks, so the next pass retries it while the others proceed. */
  private async recompute(d: PendingDay, coveredUntil: Date): Promise<boolean> {
    try {
      return await this.repo.recomputeDay(d, coveredUntil);
    } catch (err) {
      this.stats.failures++;
      this.logger.warn(`rollups: website ${d.websiteId} day ${d.day} failed (next pass retries): ${(err as Error).message}`);
      return false;
    }
  }
}
