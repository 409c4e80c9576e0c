import { EventPartitions } from '../../src/collect/writer/event-partitions';
import { EventsRepository } from '../../src/collect/writer/events.repository';
import { MediumDb, openMediumDb } from '../support/medium-db';

/** EventPartitions creating the monthly partitions of events and sessions on real Postgres. */
describe('EventPartitions', () => {
  let m: MediumDb;
  let real: EventsRepository;
  let calls: number;
  const counting = () =>
    new EventPartitions({
      ensurePartitions: (at: Date) => {
        calls++;
        return real.ensurePartitions(at);
      },
    });
  const partitionsOf = async (table: string) =>
    ((await m.db.query('SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = $1', [table])) as { relname: string }[])
      .map((r) => r.relname);

  beforeAll(async () => {
    m = await openMediumDb();
    real = new EventsRepository(m.db);
  });
  afterAll(() => m.close());
  beforeEach(() => (calls = 0));

  it('creates the partitions of each month once, and asks the database once per month', async () => {
    const before = { events: (await partitionsOf('events')).length, sessions: (await partitionsOf('sessions')).length };
    const p = counting();
    await p.ensure([new Date('2031-05-03T00:00:00Z'), new Date('2031-05-30T23:59:59Z'), new Date('2031-07-01T00:00:00Z')]);
    await p.ensure([new Date('2031-05-10T00:00:00Z')]);
    expect(calls).toBe(2);
    expect((await partitionsOf('events')).length).toBe(before.events + 2);
    expect((await partitionsOf('sessions')).length).toBe(before.sessions + 2);
    // A row of that month lands in it.
    await m.seedWebsite('partitioned');
    await m.db.query("INSERT INTO events (website_id, occurred_at, id, kind, visitor_id, session_id) VALUES ('partitioned', '2031-07-04T00:00:00Z', 1, 'pageview', 'v', gen_random_uuid())");
  });

  it('lets several processes create the same month at once', async () => {
    const at = new Date('2032-02-14T12:00:00Z');
    await Promise.all(Array.from({ length: 6 }, () => counting().ensure([at])));
    expect(calls).toBe(6);
    const events = await partitionsOf('events');
    expect(events.filter((name) => name.includes('2032')).length).toBe(1);
  });
});
