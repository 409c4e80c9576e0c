import { EventEmitter } from 'node:events';
import { IpcChannel, IpcEndpoint } from './ipc-endpoint';

/** Two connected channel ends, delivering asynchronously like a process channel (through JSON). */
function channelPair(): [IpcChannel & { open: boolean }, IpcChannel & { open: boolean }] {
  const a = new EventEmitter();
  const b = new EventEmitter();
  const end = (self: EventEmitter, other: EventEmitter) =>
    Object.assign(self, {
      open: true,
      send(message: unknown) {
        if (!this.open) throw new Error('channel closed');
        const copy = JSON.parse(JSON.stringify(message));
        setImmediate(() => other.emit('message', copy));
        return true;
      },
    });
  return [end(a, b), end(b, a)];
}

describe('IpcEndpoint', () => {
  it('answers a request with the handler result, matching concurrent replies to their requests', async () => {
    const [a, b] = channelPair();
    const worker = new IpcEndpoint(a);
    const primary = new IpcEndpoint(b);
    primary.serve('double', async (body) => {
      const n = (body as { n: number }).n;
      await new Promise((r) => setTimeout(r, n % 2 ? 5 : 0)); // odd ones answer later
      return n * 2;
    });
    const answers = await Promise.all([1, 2, 3, 4].map((n) => worker.request<number>('double', { n })));
    expect(answers).toEqual([2, 4, 6, 8]);
  });

  it('serves both ways on one channel', async () => {
    const [a, b] = channelPair();
    const worker = new IpcEndpoint(a);
    const primary = new IpcEndpoint(b);
    worker.serve('who', () => 'worker');
    primary.serve('who', () => 'primary');
    expect(await Promise.all([worker.request('who'), primary.request('who')])).toEqual(['primary', 'worker']);
  });

  it('rejects with the handler error, and for a type nobody serves', async () => {
    const [a, b] = channelPair();
    const worker = new IpcEndpoint(a);
    new IpcEndpoint(b).serve('fail', () => {
      throw new Error('store unavailable');
    });
    await expect(worker.request('fail')).rejects.toThrow('store unavailable');
    await expect(worker.request('nothing')).rejects.toThrow('no handler for nothing');
  });

  it('rejects when no answer comes in time, and ignores a late one', async () => {
    const [a, b] = channelPair();
    const worker = new IpcEndpoint(a, 20);
    new IpcEndpoint(b).serve('slow', () => new Promise((r) => setTimeout(() => r('late'), 60)));
    await expect(worker.request('slow')).rejects.toThrow('no IPC answer to slow within 20 ms');
    await new Promise((r) => setTimeout(r, 80)); // the late reply arrives and is dropped
  });

  it('fails waiting and later requests once closed, and a send on a closed channel', async () => {
    const [a, b] = channelPair();
    const worker = new IpcEndpoint(a);
    new IpcEndpoint(b).serve('never', () => new Promise(() => undefined));
    const waiting = worker.request('never');
    worker.close();
    await expect(waiting).rejects.toThrow('IPC channel closed');
    await expect(worker.request('never')).rejects.toThrow('IPC channel closed');
    const [c] = channelPair();
    c.open = false;
    await expect(new IpcEndpoint(c).request('x')).rejects.toThrow('channel closed');
  });

  it('leaves messages that are not its own alone', async () => {
    const [a, b] = channelPair();
    const seen: unknown[] = [];
    const back: unknown[] = [];
    b.on('message', (m) => seen.push(m));
    a.on('message', (m) => back.push(m));
    new IpcEndpoint(b).serve('x', () => 1);
    a.send({ cmd: 'NODE_CLUSTER' });
    a.send('text');
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([{ cmd: 'NODE_CLUSTER' }, 'text']);
    expect(back).toEqual([]);
  });
});
