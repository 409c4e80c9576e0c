import { OrganizationBusyError, QueryGate, QueryQueueTimeoutError } from './query-gate';

describe('QueryGate', () => {
  const gate = (over: Partial<ConstructorParameters<typeof QueryGate>[0]> = {}) =>
    new QueryGate({ slots: 3, perOrganization: 2, maxWaitingPerOrganization: 1, queueTimeoutMs: 10_000, ...over });

  it("runs at most perOrganization of one organization's queries while slots stay free for others", async () => {
    const g = gate();
    await g.acquire('a');
    await g.acquire('a');
    const waiting = g.acquire('a');
    await expect(g.acquire('b')).resolves.toEqual(expect.any(Function));
    expect(g.load()).toEqual({ running: 3, waiting: 1 });
    // Its queue timeout must not fire as an unhandled rejection in a later test.
    waiting.catch(() => undefined);
  });

  it('answers OrganizationBusyError when the organization already keeps its share waiting', async () => {
    const g = gate();
    await g.acquire('a');
    await g.acquire('a');
    g.acquire('a').catch(() => undefined);
    await expect(g.acquire('a')).rejects.toBeInstanceOf(OrganizationBusyError);
  });

  it('lets waiters in, oldest first, as queries finish, and releases once only', async () => {
    const g = gate({ slots: 1, perOrganization: 1, maxWaitingPerOrganization: 5 });
    const release = await g.acquire('a');
    const order: string[] = [];
    const second = g.acquire('b').then((r) => (order.push('b'), r));
    const third = g.acquire('c').then((r) => (order.push('c'), r));
    release();
    release();
    (await second)();
    (await third)();
    expect(order).toEqual(['b', 'c']);
    expect(g.load()).toEqual({ running: 0, waiting: 0 });
  });

  it('gives up waiting after queueTimeoutMs with QueryQueueTimeoutError', async () => {
    const g = gate({ slots: 1, queueTimeoutMs: 20 });
    await g.acquire('a');
    await expect(g.acquire('b')).rejects.toBeInstanceOf(QueryQueueTimeoutError);
    expect(g.load()).toEqual({ running: 1, waiting: 0 });
  });
});
