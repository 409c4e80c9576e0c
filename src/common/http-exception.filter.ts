import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ingestFailureReply } from '../collect/ingest-errors';
import { ingestRouteOf, sendWire } from '../collect/ingest-route';
import { isStoreUnavailable } from '../collect/unexpected-error';
import { QueryError } from '../analytics/query-error';
import { isV2Route, v2ErrorBody } from '../plausible-query/plausible-error';
import { TooManyRequestsException } from './http-errors';

/** Postgres: invalid byte sequence for encoding (22021), unsupported Unicode escape (22P05). */
const INVALID_TEXT_CODES = new Set(['22021', '22P05']);
/** Postgres: invalid regular expression (a filter's pattern it cannot compile). */
export const INVALID_REGEX_CODE = '2201B';
export const STORE_RETRY_AFTER_S = 5;

/**
 * Management and query routes answer errors as {statusCode, error, message}; ingestion routes in
 * their dialect's format. A database that is away or out of connections is 503 with Retry-After;
 * anything else that is not an HttpException is a bug: logged, 500.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const route = ingestRouteOf(host.switchToHttp().getRequest<FastifyRequest>());
    const wire = route && ingestFailureReply(route.ingest, exception);
    if (wire) {
      sendWire(reply, wire);
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      const body = typeof res === 'string' ? { statusCode: status, error: httpReason(status), message: res } : res;
      if (exception instanceof TooManyRequestsException) reply.header('Retry-After', String(exception.retryAfter));
      reply.status(status).send(body);
      return;
    }
    if (exception instanceof QueryError) {
      reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: exception.message });
      return;
    }
    // Errors raised by Fastify itself (body parsing, size limits) carry their own 4xx status.
    const fastifyStatus = (exception as { statusCode?: number }).statusCode;
    if (fastifyStatus && fastifyStatus >= 400 && fastifyStatus < 500) {
      const message = (exception as Error).message;
      // Raised before the Stats API v2 route's own filter runs: answered in its format here too.
      const body = isV2Route(host.switchToHttp().getRequest<FastifyRequest>()) ? v2ErrorBody(message) : { statusCode: fastifyStatus, error: httpReason(fastifyStatus), message };
      reply.status(fastifyStatus).send(body);
      return;
    }
    // A safety net behind the input guard: text Postgres cannot take is the client's input.
    const pgCode = (exception as { code?: unknown }).code;
    if (typeof pgCode === 'string' && INVALID_TEXT_CODES.has(pgCode)) {
      reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: 'The request contains characters that cannot be stored (such as NUL)' });
      return;
    }
    if (pgCode === INVALID_REGEX_CODE) {
      reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: `Invalid regular expression: ${(exception as Error).message}` });
      return;
    }
    if (isStoreUnavailable(exception)) {
      this.logger.warn(`database unavailable: ${(exception as Error)?.message ?? String(exception)}`);
      reply.header('Retry-After', String(STORE_RETRY_AFTER_S));
      reply.status(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'The database is busy or unreachable; retry shortly' });
      return;
    }
    this.logger.error((exception as Error)?.stack ?? String(exception));
    reply.status(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' });
  }
}

function httpReason(status: number): string {
  const name = HttpStatus[status];
  return name ? name.toLowerCase().split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ') : 'Error';
}
