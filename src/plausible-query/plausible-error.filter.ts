import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { QueryError } from '../analytics/query-error';
import { TooManyRequestsException } from '../common/http-errors';
import { isStoreUnavailable } from '../collect/unexpected-error';
import { HttpExceptionFilter, INVALID_REGEX_CODE, STORE_RETRY_AFTER_S } from '../common/http-exception.filter';
import { v2ErrorBody } from './plausible-error';

/** The message of an HttpException, whatever shape its body has (validation errors are a list). */
function messageOf(e: HttpException): string {
  const res = e.getResponse();
  if (typeof res === 'string') return res;
  const m = (res as { message?: unknown }).message;
  return Array.isArray(m) ? m.join('; ') : typeof m === 'string' ? m : e.message;
}

/**
 * Errors of the Stats API v2 route in Plausible's format, {"error": "..."}, with the status the
 * rest of Footfall answers (and Retry-After where it gives one). A bug (500) goes to the
 * application's filter, which logs it.
 */
@Catch()
export class PlausibleErrorFilter implements ExceptionFilter {
  private readonly fallback = new HttpExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof QueryError) {
      reply.status(400).send(v2ErrorBody(exception.message));
    } else if ((exception as { code?: unknown })?.code === INVALID_REGEX_CODE) {
      reply.status(400).send(v2ErrorBody(`Invalid regular expression in filters: ${(exception as Error).message}`));
    } else if (exception instanceof HttpException) {
      // The query gate's 503 has set its Retry-After already.
      if (exception instanceof TooManyRequestsException) reply.header('Retry-After', String(exception.retryAfter));
      reply.status(exception.getStatus()).send(v2ErrorBody(messageOf(exception)));
    } else if (isStoreUnavailable(exception)) {
      reply.header('Retry-After', String(STORE_RETRY_AFTER_S));
      reply.status(503).send(v2ErrorBody('The database is busy or unreachable; retry shortly'));
    } else {
      this.fallback.catch(exception, host);
    }
  }
}
