import { DatabaseError } from 'pg';
import { IngestError, IngestFailure } from './ingest-error';

/**
 * SQLSTATE classes that mean "try again later": connection exception, transaction rollback
 * (deadlock, serialization), insufficient resources, operator intervention (shutdown, statement
 * timeout), and a lock timeout.
 */
const TRANSIENT_CLASSES = new Set(['08', '40', '53', '57']);
const TRANSIENT_CODES = new Set(['55P03']);

/** The Postgres error behind an error, unwrapped from typeorm's QueryFailedError; null when none. */
function databaseError(err: unknown): DatabaseError | null {
  if (err instanceof DatabaseError) return err;
  const driver = (err as { driverError?: unknown } | null)?.driverError;
  return driver instanceof DatabaseError ? driver : null;
}

function isTransient(db: DatabaseError): boolean {
  const code = db.code ?? '';
  return TRANSIENT_CLASSES.has(code.slice(0, 2)) || TRANSIENT_CODES.has(code);
}

/** A pool that could not hand out a connection in time, or a server that cannot be reached. */
const CONNECTION_FAILURES = /timeout exceeded when trying to connect|Connection terminated|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE/;

/**
 * The database is away or overloaded (unreachable, out of connections, shutting down, a deadlock
 * or a lock timeout): the request may succeed later, so it is answered 503, not as a bug.
 */
export function isStoreUnavailable(err: unknown): boolean {
  const db = databaseError(err);
  if (db) return isTransient(db);
  const e = err as { code?: unknown; message?: unknown } | null;
  return CONNECTION_FAILURES.test(`${typeof e?.code === 'string' ? e.code : ''} ${typeof e?.message === 'string' ? e.message : ''}`);
}

/** Postgres refused a value (data exception, integrity violation): the request's fault. */
export function isDataError(err: unknown): boolean {
  const code = databaseError(err)?.code;
  return !!code && (code.startsWith('22') || code.startsWith('23'));
}

/**
 * An error the ingestion path did not expect, as the typed error to answer with. Only a store that
 * is away or overloaded (Postgres unreachable or shutting down, a deadlock, a rate-limit store or
 * cluster link that does not answer) is 503 with Retry-After; a value Postgres refuses is the
 * request's fault; anything else (a Postgres error of another kind, a programming error) is a
 * fault of Footfall, which no retry cures: 500.
 */
export function ingestErrorOf(err: unknown): IngestError {
  const db = databaseError(err);
  if (db) {
    if (isTransient(db)) return unavailable();
    if (isDataError(db)) return { code: 'validation', message: 'The event could not be stored: a value is out of range or not allowed' };
    return internal();
  }
  // Errors of the language itself are bugs; other errors come from the network or a store's client.
  if (err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError || err instanceof SyntaxError) return internal();
  return unavailable();
}

/** Where a fault is reported: a Nest Logger, or anything with the same two methods. */
export interface FaultLog {
  error(message: string): void;
  warn(message: string): void;
}

/**
 * Any error of the ingestion path as an IngestFailure: typed failures pass through; any other is
 * logged (a fault of Footfall as an error, an unavailable store as a warning) and mapped by ingestErrorOf.
 */
export function asIngestFailure(err: unknown, log: FaultLog): IngestFailure {
  if (err instanceof IngestFailure) return err;
  const error = ingestErrorOf(err);
  if (error.code === 'internal') log.error(`ingestion failed: ${(err as Error)?.stack ?? err}`);
  else log.warn(`ingestion failed: ${(err as Error)?.message}`);
  return new IngestFailure(error);
}

const unavailable = (): IngestError => ({ code: 'overloaded', message: 'Service temporarily unavailable; retry shortly', retryAfter: 5 });
const internal = (): IngestError => ({ code: 'internal', message: 'Internal server error' });
