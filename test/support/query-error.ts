import { QueryError } from '../../src/analytics/query-error';

/** The QueryError `run` throws; fails the test when it returns or throws anything else. */
export function queryErrorOf(run: () => unknown): QueryError {
  try {
    run();
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
  throw new Error('expected a QueryError, but nothing was thrown');
}
