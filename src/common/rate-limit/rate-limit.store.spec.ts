import { EventEmitter } from 'node:events';
import { IpcChannel, IpcEndpoint } from '../../cluster/ipc-endpoint';
import { PrimaryRateLimitStore, serveRateLimits } from './primary-rate-limit.store';
import { MemoryRateLimitStore, RateLimitStore } from './rate-limit.store';

/** Two connected channel ends, delivering asynchronously through JSON like a process channel. */
function channelPair(): [IpcChannel, IpcChannel] {
  const [a, b] = [new EventEmitter(), new EventEmitter()];
  const end = (self: EventEmitter, other: EventEmitter): IpcChannel => ({
    send: (m: unknown) => setImmediate(() => other.emit('message', JSON.parse(JSON.stringify(m)))),
    on: (event, listener) => self.on(event, listener),
  });
  return [end(a, b), end(b, a)];
}

/** The reservation contract every store keeps (in process, and a worker's through its primary). */
function reservationContract(name: string, make: () => { store: RateLimitStore; close(): Promise<void> }): void {
  describe(name, () => {
    let s: ReturnType<typeof make>;
    beforeAll(() => (s = make()));
    afterAll(() => s.close());

    it('counts concurrent hits exactly: each caller gets its own count', async () => {
      const counts = await Promise.all(Array.from({ length: 50 }, () => s.store.hit('burst', 60_000)));
      expect(counts.map((c) => c.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    it('gives a reservation back within the window, never below zero, and not into a closed window', async () => {
      await s.store.hit('r', 60_000);
      await s.store.hit('r', 60_000);
      await s.store.release('r');
      expect((await s.store.peek('r'))?.count).toBe(1);
      await s.store.release('r', 5);
      expect((await s.store.peek('r'))?.count).toBe(0);
      expect((await s.store.hit('r', 60_000)).count).toBe(1);
      await s.store.release('never-opened');
      expect(await s.store.peek('never-opened')).toBeNull();
    });
  });
}

reservationContract('MemoryRateLimitStore', () => {
  const store = new MemoryRateLimitStore();
  return { store, close: () => store.close() };
});

reservationContract('PrimaryRateLimitStore (a worker counting in its primary)', () => {
  const [workerEnd, primaryEnd] = channelPair();
  const kept = new MemoryRateLimitStore();
  serveRateLimits(new IpcEndpoint(primaryEnd), kept);
  return { store: new PrimaryRateLimitStore(new IpcEndpoint(workerEnd)), close: () => kept.close() };
});
