import { EventsRepository } from './events.repository';

// Lost races to create a partition: duplicate_table, unique_violation (on pg_type), deadlock.
const PARTITION_RACE = new Set(['42P07', '23505', '40P01']);

/** The monthly partitions of events and sessions, created on demand and remembered once they exist. */
export class EventPartitions {
  /** Months (year * 12 + month, UTC) whose partitions are known to exist. */
  private readonly months = new Set<number>();

  constructor(private readonly repo: Pick<EventsRepository, 'ensurePartitions'>) {}

  /** Makes sure the partitions holding each of these instants exist. */
  async ensure(dates: Iterable<Date>): Promise<void> {
    for (const d of dates) {
      const month = d.getUTCFullYear() * 12 + d.getUTCMonth();
      if (this.months.has(month)) continue;
      for (let attempt = 0; ; attempt++) {
        try {
          await this.repo.ensurePartitions(d);
          break;
        } catch (err) {
          // Another connection created it at the same moment: it exists now, which is all we need.
          if (attempt >= 2 || !PARTITION_RACE.has((err as { code?: string }).code ?? '')) throw err;
        }
      }
      this.months.add(month);
    }
  }
}
