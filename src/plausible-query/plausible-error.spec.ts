import type { FastifyRequest } from 'fastify';
import { isV2Route, v2ErrorBody, V2_ROUTE_CONFIG } from './plausible-error';

describe('v2ErrorBody', () => {
  it('wraps the message as Plausible does', () => {
    expect(v2ErrorBody('metrics[0]: unknown metric "x"')).toEqual({ error: 'metrics[0]: unknown metric "x"' });
  });
});

describe('isV2Route', () => {
  const request = (config: unknown) => ({ routeOptions: { config } }) as unknown as FastifyRequest;

  it('tells the Stats API v2 route by its route config', () => {
    expect(isV2Route(request(V2_ROUTE_CONFIG))).toBe(true);
    expect(isV2Route(request({ ingest: 'native' }))).toBe(false);
    expect(isV2Route(request(undefined))).toBe(false);
    expect(isV2Route({} as FastifyRequest)).toBe(false);
  });
});
