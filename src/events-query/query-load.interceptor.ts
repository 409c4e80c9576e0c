import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { catchError, Observable, Subscription, throwError } from 'rxjs';
import { Principal } from '../auth/principal';
import { TooManyRequestsException } from '../common/http-errors';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';
import { isQueryOverrun } from '../database/query-data-source';
import { OrganizationBusyError, QueryGate, QueryQueueTimeoutError } from './query-gate';

/** Seconds a client is asked to wait: a turn frees up quickly; an overrun query needs a quieter moment. */
const RETRY_BUSY_S = 1;
const RETRY_QUEUE_S = 2;
const RETRY_OVERRUN_S = 10;

/**
 * Whose share of the query slots a request takes: an API key's or a shared link's organization
 * (a busy public dashboard competes with its own organization, not with other tenants), a user's
 * only one, else the user.
 */
export function organizationOf(p: Principal): string {
  if (p.kind !== 'user') return `org:${p.organizationId}`;
  return p.roles.size === 1 ? `org:${[...p.roles.keys()][0]}` : `user:${p.userId}`;
}

/**
 * Admits each query request through the QueryGate and answers load failures as such: 429 when the
 * organization has too many queries in flight, 503 with Retry-After when none came free in time or
 * the query ran over its time budget (never a 500).
 */
@Injectable()
export class QueryLoadInterceptor implements NestInterceptor {
  constructor(
    private readonly gate: QueryGate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const principal: Principal = ctx.switchToHttp().getRequest().principal;
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    // Taken on subscription and given back on teardown: a request dropped while it waits (or runs)
    // never keeps its turn, and a refusal always reaches the caller (never an unhandled rejection).
    return new Observable<unknown>((subscriber) => {
      let closed = false;
      let release: (() => void) | undefined;
      let inner: Subscription | undefined;
      this.gate.acquire(organizationOf(principal)).then(
        (r) => {
          if (closed) return r();
          release = r;
          inner = next
            .handle()
            .pipe(catchError((err: unknown) => throwError(() => this.toHttp(err, reply))))
            .subscribe(subscriber);
        },
        (err: unknown) => {
          if (!closed) subscriber.error(this.toHttp(err, reply));
        },
      );
      return () => {
        closed = true;
        inner?.unsubscribe();
        release?.();
      };
    });
  }

  private toHttp(err: unknown, reply: FastifyReply): unknown {
    if (err instanceof OrganizationBusyError) return new TooManyRequestsException(err.message, RETRY_BUSY_S);
    if (err instanceof QueryQueueTimeoutError) {
      reply.header('Retry-After', String(RETRY_QUEUE_S));
      return new ServiceUnavailableException(err.message);
    }
    if (isQueryOverrun(err)) {
      reply.header('Retry-After', String(RETRY_OVERRUN_S));
      return new ServiceUnavailableException(
        `The query ran over its time budget (${this.config.query.timeoutMs} ms); narrow the period or the filters, or retry later`,
      );
    }
    return err;
  }
}
