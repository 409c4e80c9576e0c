import { EventIds } from '../../src/collect/writer/event-ids';
import { EventsRepository, ID_BLOCK } from '../../src/collect/writer/events.repository';
import { MediumDb, openMediumDb } from '../support/medium-db';

/** EventIds on the events id sequence of real Postgres. */
describe('EventIds', () => {
  let m: MediumDb;
  let repo: EventsRepository;
  let reservations: number;

  beforeAll(async () => {
    m = await openMediumDb();
    const real = new EventsRepository(m.db);
    repo = Object.assign(Object.create(real) as EventsRepository, {
      reserveIdBlock: () => {
        reservations++;
        return real.reserveIdBlock();
      },
    });
  });
  afterAll(() => m.close());
  beforeEach(() => (reservations = 0));

  it('hands out consecutive ids of a block, one round trip per block', async () => {
    const ids = new EventIds(repo);
    const first = await ids.take(3);
    const next = await ids.take(Number(ID_BLOCK));
    expect(reservations).toBe(2);
    expect(first.map(BigInt)).toEqual([0n, 1n, 2n].map((n) => BigInt(first[0]) + n));
    expect(BigInt(next[0])).toBe(BigInt(first[2]) + 1n);
    expect(new Set([...first, ...next]).size).toBe(3 + Number(ID_BLOCK));
    expect([...first, ...next].every((id) => /^\d+$/.test(id))).toBe(true);
  });

  it('never gives two allocators (two processes) the same id, nor one allocator called concurrently', async () => {
    const a = new EventIds(repo);
    const b = new EventIds(repo);
    const taken = await Promise.all([a.take(1500), b.take(700), a.take(600), b.take(1), a.take(2500)]);
    const all = taken.flat();
    expect(all).toHaveLength(1500 + 700 + 600 + 1 + 2500);
    expect(new Set(all).size).toBe(all.length);
  });
});
