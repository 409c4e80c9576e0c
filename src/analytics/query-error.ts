/** A query a caller got wrong: each dialect answers it as a 400 in its own format. */
export class QueryError extends Error {
  constructor(
    message: string,
    /** The request field at fault, when one is (e.g. "metrics", "filters[0]"). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}
