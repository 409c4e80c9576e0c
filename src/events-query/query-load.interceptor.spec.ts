import { CallHandler, ExecutionContext } from '@nestjs/common';
import { NEVER, of } from 'rxjs';
import { AppConfig } from '../config/config';
import { QueryGate } from './query-gate';
import { QueryLoadInterceptor } from './query-load.interceptor';

describe('QueryLoadInterceptor', () => {
  const principal = { kind: 'key', keyId: 'k', organizationId: 'o', scopes: new Set(['read']), websiteIds: null };
  const ctx = {
    switchToHttp: () => ({ getRequest: () => ({ principal }), getResponse: () => ({ header: () => undefined }) }),
  } as unknown as ExecutionContext;
  const handler = (obs: CallHandler['handle']): CallHandler => ({ handle: obs });
  const setup = () => {
    const gate = new QueryGate({ slots: 1, perOrganization: 1, maxWaitingPerOrganization: 5, queueTimeoutMs: 10_000 });
    return { gate, interceptor: new QueryLoadInterceptor(gate, { query: { timeoutMs: 1000 } } as AppConfig) };
  };
  const tick = () => new Promise((r) => setImmediate(r));

  it('gives the turn back when the query finishes', async () => {
    const { gate, interceptor } = setup();
    const values: unknown[] = [];
    interceptor.intercept(ctx, handler(() => of('rows'))).subscribe((v) => values.push(v));
    await tick();
    expect(values).toEqual(['rows']);
    expect(gate.load()).toEqual({ running: 0, waiting: 0 });
  });

  it('keeps no turn for a request dropped while it waited or ran', async () => {
    const { gate, interceptor } = setup();
    const running = interceptor.intercept(ctx, handler(() => NEVER)).subscribe();
    await tick();
    const waiting = interceptor.intercept(ctx, handler(() => NEVER)).subscribe();
    await tick();
    expect(gate.load()).toEqual({ running: 1, waiting: 1 });
    waiting.unsubscribe();
    running.unsubscribe();
    await tick();
    expect(gate.load()).toEqual({ running: 0, waiting: 0 });
  });
});
