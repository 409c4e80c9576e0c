import type { FastifyRequest } from 'fastify';
import { answersErrorString, ERROR_STRING_ROUTE, errorStringBody } from './error-format';

describe('errorStringBody', () => {
  it('wraps the message as Plausible does', () => {
    expect(errorStringBody('metrics[0]: unknown metric "x"')).toEqual({ error: 'metrics[0]: unknown metric "x"' });
  });
});

describe('answersErrorString', () => {
  const request = (config: unknown) => ({ routeOptions: { config } }) as unknown as FastifyRequest;

  it('tells such a route by its route config', () => {
    expect(answersErrorString(request(ERROR_STRING_ROUTE))).toBe(true);
    expect(answersErrorString(request({ ingest: 'native' }))).toBe(false);
    expect(answersErrorString(request(undefined))).toBe(false);
    expect(answersErrorString({} as FastifyRequest)).toBe(false);
  });
});
