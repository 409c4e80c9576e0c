import type { ArgumentsHost } from '@nestjs/common';
import { HttpExceptionFilter } from './http-exception.filter';

function hostFor(reply: { status: jest.Mock; send: jest.Mock; header: jest.Mock }): ArgumentsHost {
  const http = { getResponse: () => reply, getRequest: () => ({ routeOptions: { config: {} } }) };
  return { switchToHttp: () => http } as unknown as ArgumentsHost;
}

function replyMock() {
  const reply = { status: jest.fn(), send: jest.fn(), header: jest.fn() };
  reply.status.mockReturnValue(reply);
  return reply;
}

describe('HttpExceptionFilter', () => {
  it.each([
    ['22021', 'invalid byte sequence for encoding "UTF8": 0x00'],
    ['22P05', 'unsupported Unicode escape sequence'],
  ])('answers Postgres %s (text it cannot store) with 400', (code, message) => {
    const reply = replyMock();
    new HttpExceptionFilter().catch(Object.assign(new Error(message), { code }), hostFor(reply));
    expect(reply.status).toHaveBeenCalledWith(400);
    expect(reply.send).toHaveBeenCalledWith({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/cannot be stored/) });
  });

  it('still answers other database errors with 500', () => {
    const reply = replyMock();
    const filter = new HttpExceptionFilter();
    (filter as unknown as { logger: { error: () => void } }).logger = { error: () => undefined };
    filter.catch(Object.assign(new Error('relation "x" does not exist'), { code: '42P01' }), hostFor(reply));
    expect(reply.status).toHaveBeenCalledWith(500);
  });

  it.each([
    ['a pool out of connections', new Error('timeout exceeded when trying to connect')],
    ['an unreachable server', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
  ])('answers %s with 503 and Retry-After', (_, err) => {
    const reply = replyMock();
    const filter = new HttpExceptionFilter();
    (filter as unknown as { logger: { warn: () => void } }).logger = { warn: () => undefined };
    filter.catch(err, hostFor(reply));
    expect(reply.status).toHaveBeenCalledWith(503);
    expect(reply.header).toHaveBeenCalledWith('Retry-After', '5');
  });
});
