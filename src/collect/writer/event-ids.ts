import { EventsRepository, ID_BLOCK } from './events.repository';

/**
 * Event ids, from blocks of ID_BLOCK reserved from the database sequence: one round trip per
 * block, and ids unique across processes (each block is a process's own).
 */
export class EventIds {
  private next = 0n;
  private end = 0n;

  constructor(private readonly repo: Pick<EventsRepository, 'reserveIdBlock'>) {}

  /** n new ids, as decimal strings (bigint-safe). */
  async take(n: number): Promise<string[]> {
    const ids: string[] = [];
    while (ids.length < n) {
      if (this.next >= this.end) {
        this.next = await this.repo.reserveIdBlock();
        this.end = this.next + ID_BLOCK;
      }
      ids.push(String(this.next++));
    }
    return ids;
  }
}
