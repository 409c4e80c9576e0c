import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { DataSource } from 'typeorm';
import { WebsitesRepository } from '../websites/websites.repository';
import { VisitorSalts } from './visitor-salts';

const EVERY_MS = 60 * 60 * 1000;
/** Idempotency keys answer retries for this long. */
export const EVENT_KEY_RETENTION_DAYS = 7;

/**
 * Hourly housekeeping: partitions for the coming months, expired visitor salts (privacy),
 * expired idempotency keys, and each website's retention. Safe on several instances at once
 * (each step is idempotent).
 */
@Injectable()
export class MaintenanceService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MaintenanceService.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly salts: VisitorSalts,
    private readonly websites: WebsitesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // In a cluster, the first worker runs it for the instance.
    if (!this.config.backgroundJobs) return;
    this.timer = setInterval(() => void this.run(), EVERY_MS);
    this.timer.unref();
    void this.run();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async run(now = new Date()): Promise<void> {
    try {
      await this.db.query(
        `SELECT footfall_ensure_partition(t, $1::timestamptz + make_interval(months => m))
         FROM unnest(ARRAY['events', 'sessions']) AS t, generate_series(0, 3) AS m`,
        [now],
      );
      await this.salts.expire(now);
      await this.db.query('DELETE FROM event_keys WHERE created_at < $1::timestamptz - make_interval(days => $2)', [now, EVENT_KEY_RETENTION_DAYS]);
      for (const site of await this.websites.withRetention()) {
        const removed = await this.websites.deleteOlderThan(site.id, new Date(now.getTime() - site.retention_days * 86_400_000));
        if (removed) this.logger.log(`retention: deleted ${removed} events of website ${site.id} older than ${site.retention_days} days`);
      }
    } catch (err) {
      this.logger.warn(`maintenance failed (will retry in an hour): ${(err as Error).message}`);
    }
  }
}
