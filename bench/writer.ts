import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BelievedVisit, EventsRepository } from '../src/collect/writer/events.repository';
import { sessionDeltas, StoredEvent } from '../src/collect/writer/stored-event';
import { benchPostgres, cpuDelta, cpuSeconds, postgresPids } from './support';

/**
 * npm run bench:writer [-- --sizes 1,26,100,700 --events 20000]
 * The writer's one-statement write on its own, one transaction at a time, on an embedded Postgres:
 * for each batch size, the Postgres CPU (all its processes, from /proc) per write transaction and
 * per event, and the Node CPU per event. Every event is a new visitor, as in bench:ingest's single
 * collects. A write's fixed cost shows as the difference between small and large batches.
 */
const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith('--') && args.set(a.slice(2), all[i + 1]));
const SIZES = (args.get('sizes') ?? '1,26,100,700').split(',').map(Number);
const EVENTS = Number(args.get('events') ?? 20_000);

let nextId = 1;
const WEBSITE_ID = 'site_bench_writer';

function newVisitorEvent(now: Date): StoredEvent {
  return {
    websiteId: WEBSITE_ID,
    occurredAt: now,
    kind: 'pageview',
    name: null,
    title: 'Pricing - Example',
    props: null,
    visitorId: randomBytes(8).toString('hex'),
    userId: null,
    language: 'en-US',
    screen: '1920x1080',
    screenWidth: 1920,
    screenHeight: 1080,
    eventKey: null,
    browser: 'Chrome',
    browserVersion: '120.0.0.0',
    os: 'Windows',
    osVersion: '10',
    deviceType: 'desktop',
    isBot: false,
    country: 'GB',
    region: 'England',
    city: 'London',
    hostname: 'example.com',
    path: `/pricing/${nextId % 50}`,
    query: null,
    referrer: 'https://www.google.com/',
    referrerDomain: 'google.com',
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    utmTerm: null,
    utmContent: null,
    id: String(nextId++),
    sessionId: randomUUID(),
    sessionStartedAt: now,
    storedUserId: null,
  };
}

async function main(): Promise<void> {
  const pg = await benchPostgres();
  const db = new DataSource({ type: 'postgres', url: pg.url });
  await db.initialize();
  try {
    const repo = new EventsRepository(db);
    await repo.ensurePartitions(new Date());
    // Events are stored only for a website that exists (its row is locked while they are written).
    await db.query(
      `WITH o AS (INSERT INTO organizations (name) VALUES ('bench') RETURNING id)
       INSERT INTO websites (id, organization_id, name, domain) SELECT $1, id, 'bench', 'example.com' FROM o`,
      [WEBSITE_ID],
    );
    console.log('| events per write | writes | Postgres µs per write | Postgres µs per event | Node µs per event | ms per write |');
    console.log('|---|---|---|---|---|---|');
    // The first pass warms up connections, prepared statements and caches; the second is printed.
    for (const pass of [0, 1]) {
      for (const size of SIZES) {
        const writes = Math.max(20, Math.round(EVENTS / size));
        const before = cpuSeconds(postgresPids(pg.dataDir));
        const node = process.cpuUsage();
        const started = Date.now();
        for (let w = 0; w < writes; w++) {
          const now = new Date();
          const rows = Array.from({ length: size }, () => newVisitorEvent(now));
          const visits: BelievedVisit[] = rows.map((r) => ({ websiteId: r.websiteId, visitorId: r.visitorId, was: null, state: { sessionId: r.sessionId, startedAt: now, lastSeenAt: now, userId: null } }));
          await repo.writeOptimistic(visits, sessionDeltas(rows), rows);
        }
        const pgMicros = cpuDelta(before, cpuSeconds(postgresPids(pg.dataDir))) * 1e6;
        const nodeUsage = process.cpuUsage(node);
        if (pass === 1) {
          console.log(
            `| ${size} | ${writes} | ${Math.round(pgMicros / writes)} | ${(pgMicros / writes / size).toFixed(1)} | ${((nodeUsage.user + nodeUsage.system) / writes / size).toFixed(1)} | ${((Date.now() - started) / writes).toFixed(2)} |`,
          );
        }
      }
    }
    console.log('(CPU read from /proc at 10 ms resolution; Postgres counts all its processes: backends, WAL writer, checkpointer)');
  } finally {
    await db.destroy();
    await pg.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
