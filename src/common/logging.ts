import { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Logger } from 'pino';

const LEVELS: Record<string, pino.LevelWithSilent> = { fatal: 'fatal', error: 'error', warn: 'warn', info: 'info', log: 'info', debug: 'debug', verbose: 'trace', silent: 'silent' };

/**
 * One JSON logger for Fastify and Nest. Requests are logged by id, method, route and status only:
 * never a client address, header, query string or body (they may hold IPs, keys or personal data).
 */
export function createLogger(level: string, destination?: DestinationStream, workerSlot: number | null = null): Logger {
  const options: pino.LoggerOptions = {
    level: LEVELS[level] ?? 'warn',
    base: workerSlot === null ? { service: 'footfall' } : { service: 'footfall', worker: workerSlot },
    // Defence in depth, should anything log a request or error object wholesale.
    redact: { paths: ['req.headers', 'req.remoteAddress', 'req.ip', '*.password', '*.api_key', '*.ip_address', '*.authorization'], remove: true },
    serializers: { req: (req: { id?: string; method?: string }) => ({ id: req.id, method: req.method }) },
  };
  // Default: synchronous stdout, so nothing is lost when the process exits after a shutdown.
  return destination ? pino(options, destination) : pino(options);
}

/**
 * The level of the start-up lines (where the database is, where Footfall listens, what to do
 * next): at least info, so the default (warn) shows them; error or silent hide them.
 */
export function startupLogLevel(level: string): string {
  return ['error', 'fatal', 'silent', 'debug', 'verbose'].includes(level) ? level : 'info';
}

/** A one-line description of anything thrown or rejected, Error or not. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (err === undefined || err === null) return `an operation failed without saying why (it gave ${String(err)})`;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}

/** Nest's logger interface on top of the shared pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
  fatal(message: unknown, context?: string): void {
    this.logger.fatal({ context }, String(message));
  }
}
