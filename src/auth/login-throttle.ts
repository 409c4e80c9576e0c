import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { RateLimitStore } from '../common/rate-limit/rate-limit.store';

/** An admitted attempt: the counts it reserved, to keep on failure or give back on success. */
export interface LoginTicket {
  reserved: string[];
  pairKey: string;
  /** Attempts of the pair past its limit, this one included (0: the last free one; < 0: free). */
  level: number;
  pairResetAt: number;
}

export type LoginAdmission = { admitted: true; ticket: LoginTicket } | { admitted: false; retryAfter: number };

/**
 * Login attempts are counted before the password is checked: each one reserves a count per
 * client IP, per email (a ceiling far above the pair limit, against guessing from many IPs) and
 * per (email, IP) pair, and is refused when a count is over, so parallel requests cannot pass the
 * limit. A pair past its limit is not locked but backs off: each further attempt waits for the
 * previous one to fail and then for a wait that doubles with every failure. A failure keeps its
 * reservations; a success gives them back. The store's atomic hit makes this hold across
 * workers (the primary's store) and instances (Redis).
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(RateLimitStore) private readonly store: RateLimitStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `email`: the account guessed at; a shared link's password is counted as `shared-link:<website>/<link>`. */
  async admit(email: string, ip: string): Promise<LoginAdmission> {
    const l = this.config.limits;
    const windowMs = l.loginWindowSeconds * 1000;
    const id = JSON.stringify([email.trim().toLowerCase(), ip]);
    const reserved: string[] = [];
    const refuse = async (resetAt: number): Promise<LoginAdmission> => {
      await Promise.all(reserved.map((k) => this.store.release(k)));
      return { admitted: false, retryAfter: secondsUntil(resetAt) };
    };
    const counted: [string, number][] = [
      [`login:ip:${ip}`, l.loginFailuresPerIp],
      [`login:email:${JSON.stringify(email.trim().toLowerCase())}`, l.loginFailuresPerEmailTotal],
    ];
    for (const [key, limit] of counted) {
      if (limit <= 0) continue;
      const w = await this.store.hit(key, windowMs);
      reserved.push(key);
      if (w.count > limit) return refuse(w.resetAt);
    }
    const pairKey = `login:pair:${id}`;
    if (l.loginFailuresPerEmailIp <= 0) return { admitted: true, ticket: { reserved, pairKey, level: -1, pairResetAt: 0 } };
    const pair = await this.store.hit(pairKey, windowMs);
    reserved.push(pairKey);
    const level = pair.count - l.loginFailuresPerEmailIp;
    if (level > 0) {
      // Past the limit, one attempt at a time: the previous one must have failed and its wait ended.
      const [failed, wait] = await Promise.all([this.store.peek(failedKey(pairKey, level - 1)), this.store.peek(waitKey(pairKey, level - 1))]);
      if (!failed) return refuse(Date.now() + 1000);
      if (wait) return refuse(wait.resetAt);
    }
    return { admitted: true, ticket: { reserved, pairKey, level, pairResetAt: pair.resetAt } };
  }

  async succeeded(ticket: LoginTicket): Promise<void> {
    await Promise.all(ticket.reserved.map((k) => this.store.release(k)));
  }

  async failed(ticket: LoginTicket): Promise<void> {
    if (ticket.level < 0) return;
    const l = this.config.limits;
    const waitMs = Math.min(l.loginBackoffSeconds * 1000 * 2 ** Math.min(ticket.level, 30), l.loginWindowSeconds * 1000);
    // The wait first: an attempt that sees the failure recorded must also see its wait.
    await this.store.hit(waitKey(ticket.pairKey, ticket.level), waitMs);
    // Lives no longer than the pair's window, so a later window never sees a stale record.
    await this.store.hit(failedKey(ticket.pairKey, ticket.level), Math.max(1, ticket.pairResetAt - Date.now()));
  }
}

const failedKey = (pairKey: string, level: number) => `${pairKey}:failed:${level}`;
const waitKey = (pairKey: string, level: number) => `${pairKey}:wait:${level}`;

function secondsUntil(resetAt: number): number {
  return Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
}
