import cluster from 'node:cluster';
import { IpcChannel, IpcEndpoint } from '../src/cluster/ipc-endpoint';
import { MemoryRateLimitStore } from '../src/common/rate-limit/rate-limit.store';
import { PrimaryRateLimitStore, serveRateLimits } from '../src/common/rate-limit/primary-rate-limit.store';

/**
 * npm run bench:ipc [-- --hits 50000 --concurrency 50]
 * The cost of a rate-limit count kept by the cluster primary (WORKERS > 1 without REDIS_URL): one
 * worker counts hits for 250 client addresses, `concurrency` at a time, as a busy worker's requests
 * would. Prints hits per second and the CPU each side spends per hit.
 */
const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => a.startsWith('--') && args.set(a.slice(2), all[i + 1]));
const HITS = Number(args.get('hits') ?? 50_000);
const CONCURRENCY = Number(args.get('concurrency') ?? 50);
const cpuMicros = (u: NodeJS.CpuUsage) => u.user + u.system;

if (cluster.isPrimary) {
  const worker = cluster.fork();
  serveRateLimits(new IpcEndpoint(worker), new MemoryRateLimitStore());
  const before = process.cpuUsage();
  worker.on('message', (m: { done?: boolean }) => {
    if (!m.done) return;
    console.log(`primary CPU per hit: ${(cpuMicros(process.cpuUsage(before)) / HITS).toFixed(1)} µs`);
    worker.kill();
    process.exit(0);
  });
} else {
  const store = new PrimaryRateLimitStore(new IpcEndpoint(process as unknown as IpcChannel));
  void (async () => {
    let sent = 0;
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (sent < HITS) await store.hit(`sparklytics:ip:10.0.${sent++ % 250}.1`, 60_000);
      }),
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`${HITS} hits, ${CONCURRENCY} at a time: ${Math.round((HITS / ms) * 1000)} hits/s; worker CPU per hit: ${(cpuMicros(process.cpuUsage(cpu)) / HITS).toFixed(1)} µs`);
    process.send!({ done: true });
  })();
}
