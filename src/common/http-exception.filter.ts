import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ingestFailureReply } from '../collect/ingest-errors';
import { ingestRouteOf, sendWire } from '../collect/ingest-route';
import { isStoreUnavailable } from '../collect/unexpected-error';
import { QueryError } from '../analytics/query-error';
import { answersErrorString, errorStringBody } from './error-format';
import { TooManyRequestsException } from './http-errors';

/** Postgres: invalid byte sequence for encoding (22021), unsupported Unicode escape (22P05). */
const INVALID_TEXT_CODES = new Set(['22021', '22P05']);
/** Postgres: invalid regular expression (a filter's pattern it cannot compile). */
const INVALID_REGEX_CODE = '2201B';
const STORE_RETRY_AFTER_S = 5;

/**
 * Management and query routes answer errors as {statusCode, error, message}, routes marked with
 * ERROR_STRING_ROUTE as {"error": message}; ingestion routes in their dialect's format. A database that is away or out of connections is 503 with Retry-After;
 * anything else that is not an HttpException is a bug: logged, 500.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const route = ingestRouteOf(req);
    const wire = route && ingestFailureReply(route.ingest, exception);
    if (wire) {
      sendWire(reply, wire);
      return;
    }
    // {"error": message} on routes that answer so (Plausible's Stats API v2), else {statusCode, error, message}.
    const send = (status: number, message: string, body?: object) =>
      reply.status(status).send(answersErrorString(req) ? errorStringBody(message) : (body ?? { statusCode: status, error: httpReason(status), message }));
    if (exception instanceof HttpException) {
      const res = exception.getResponse();
      // The query gate's 503 sets its own Retry-After.
      if (exception instanceof TooManyRequestsException) reply.header('Retry-After', String(exception.retryAfter));
      send(exception.getStatus(), messageOf(exception), typeof res === 'string' ? undefined : res);
      return;
    }
    if (exception instanceof QueryError) {
      send(400, exception.message);
      return;
    }
    // Errors raised by Fastify itself (body parsing, size limits) carry their own 4xx status.
    const fastifyStatus = (exception as { statusCode?: number }).statusCode;
    if (fastifyStatus && fastifyStatus >= 400 && fastifyStatus < 500) {
      send(fastifyStatus, (exception as Error).message);
      return;
    }
    // A safety net behind the input guard: text Postgres cannot take is the client's input.
    const pgCode = (exception as { code?: unknown }).code;
    if (typeof pgCode === 'string' && INVALID_TEXT_CODES.has(pgCode)) {
      send(400, 'The request contains characters that cannot be stored (such as NUL)');
      return;
    }
    if (pgCode === INVALID_REGEX_CODE) {
      send(400, `Invalid regular expression in filters: ${(exception as Error).message}`);
      return;
    }
    if (isStoreUnavailable(exception)) {
      this.logger.warn(`database unavailable: ${(exception as Error)?.message ?? String(exception)}`);
      reply.header('Retry-After', String(STORE_RETRY_AFTER_S));
      send(503, 'The database is busy or unreachable; retry shortly');
      return;
    }
    this.logger.error((exception as Error)?.stack ?? String(exception));
    send(500, 'Internal server error');
  }
}

/** The message of an HttpException, whatever shape its body has (validation errors are a list). */
function messageOf(e: HttpException): string {
  const res = e.getResponse();
  if (typeof res === 'string') return res;
  const m = (res as { message?: unknown }).message;
  return Array.isArray(m) ? m.join('; ') : typeof m === 'string' ? m : e.message;
}

function httpReason(status: number): string {
  const name = HttpStatus[status];
  return name ? name.toLowerCase().split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ') : 'Error';
}
