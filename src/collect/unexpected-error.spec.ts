import { DatabaseError } from 'pg';
import { ingestErrorOf, isDataError } from './unexpected-error';

/** A Postgres error as pg raises it, optionally wrapped as typeorm wraps query errors. */
function pgError(code: string, wrapped = false): unknown {
  const err = new DatabaseError(`error ${code}`, 0, 'error');
  err.code = code;
  return wrapped ? Object.assign(new Error(err.message), { driverError: err, code }) : err;
}

describe('ingestErrorOf', () => {
  it.each([
    ['connection failure', '08006'],
    ['admin shutdown', '57P01'],
    ['too many connections', '53300'],
    ['deadlock', '40P01'],
    ['lock timeout', '55P03'],
  ])('answers 503 overloaded for a transient Postgres error (%s)', (_what, code) => {
    expect(ingestErrorOf(pgError(code))).toMatchObject({ code: 'overloaded', retryAfter: expect.any(Number) });
    expect(ingestErrorOf(pgError(code, true))).toMatchObject({ code: 'overloaded' });
  });

  it('answers 503 overloaded for a store that is not reachable (no SQLSTATE)', () => {
    expect(ingestErrorOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toMatchObject({ code: 'overloaded' });
    expect(ingestErrorOf(new Error('Connection terminated unexpectedly'))).toMatchObject({ code: 'overloaded' });
    expect(ingestErrorOf(new Error('no IPC answer to rate-limit.hit within 5000 ms'))).toMatchObject({ code: 'overloaded' });
  });

  it('answers a value Postgres refuses (a NUL byte, a number out of range) as the request\'s fault, never 503', () => {
    for (const code of ['22021', '22003', '22P05', '23505']) {
      expect(ingestErrorOf(pgError(code))).toMatchObject({ code: 'validation' });
      expect(ingestErrorOf(pgError(code, true))).toMatchObject({ code: 'validation' });
      expect(isDataError(pgError(code, true))).toBe(true);
    }
    expect(isDataError(pgError('08006'))).toBe(false);
    expect(isDataError(Object.assign(new Error('x'), { code: '22021' }))).toBe(false);
  });

  it('answers any other Postgres error and a programming error with 500 internal, never 503', () => {
    for (const code of ['42P07', '42703', 'XX000']) expect(ingestErrorOf(pgError(code))).toEqual({ code: 'internal', message: 'Internal server error' });
    expect(ingestErrorOf(new TypeError("Cannot read properties of undefined (reading 'id')"))).toMatchObject({ code: 'internal' });
    expect(ingestErrorOf(new RangeError('Invalid time value'))).toMatchObject({ code: 'internal' });
  });
});
