/** The name of the DataSource (and pg pool) that query work runs on: inject it with @InjectDataSource(QUERY_DATA_SOURCE). */
export const QUERY_DATA_SOURCE = 'query';

/**
 * True when a query ran over its time budget: Postgres cancelled the statement (statement_timeout,
 * SQLSTATE 57014), or no connection of the pool came free in time.
 */
export function isQueryOverrun(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string }; message?: string } | null;
  if (!e) return false;
  if (e.code === '57014' || e.driverError?.code === '57014') return true;
  return typeof e.message === 'string' && e.message.includes('timeout exceeded when trying to connect');
}
