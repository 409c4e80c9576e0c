import { AppConfig, loadConfig } from '../config/config';
import { MemoryRateLimitStore } from '../common/rate-limit/rate-limit.store';
import { LoginAdmission, LoginThrottle, LoginTicket } from './login-throttle';

describe('LoginThrottle on the in-process store', () => {
  const store = new MemoryRateLimitStore();
  const config: AppConfig = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'x'.repeat(32),
    LOGIN_MAX_FAILURES_PER_EMAIL_IP: '2',
    LOGIN_MAX_FAILURES_PER_IP: '6',
    LOGIN_MAX_FAILURES_PER_EMAIL_TOTAL: '50',
    LOGIN_BACKOFF_SECONDS: '30',
  });
  const throttle = new LoginThrottle(store, config);
  afterAll(() => store.close());
  const ticket = (a: LoginAdmission): LoginTicket => {
    if (!a.admitted) throw new Error(`refused, retry after ${a.retryAfter}`);
    return a.ticket;
  };

  it('admits the limit at once, refuses more while they are checked, then makes the pair wait', async () => {
    const [a, b] = await Promise.all([throttle.admit('u@example.com', 'ip1'), throttle.admit('U@example.com ', 'ip1')]);
    // Beyond the limit while both are still being checked: refused, and the reservation given back.
    expect(await throttle.admit('u@example.com', 'ip1')).toEqual({ admitted: false, retryAfter: 1 });
    await throttle.failed(ticket(a));
    await throttle.failed(ticket(b));
    const waiting = await throttle.admit('u@example.com', 'ip1');
    expect(waiting).toEqual({ admitted: false, retryAfter: 30 });
    // Another IP for the same email is not affected.
    await throttle.succeeded(ticket(await throttle.admit('u@example.com', 'ip2')));
  });

  it('counts per client IP across emails and gives a success its reservations back', async () => {
    for (let i = 0; i < 6; i++) await throttle.failed(ticket(await throttle.admit(`spray${i}@example.com`, 'ip3')));
    const refused = await throttle.admit('other@example.com', 'ip3');
    expect(refused.admitted).toBe(false);
    const ok = ticket(await throttle.admit('fine@example.com', 'ip4'));
    await throttle.succeeded(ok);
    expect(await store.peek('login:ip:ip4')).toEqual(expect.objectContaining({ count: 0 }));
  });
});
