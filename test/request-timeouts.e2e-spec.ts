import { AddressInfo, connect, Socket } from 'node:net';
import { startTestApp, TestApp } from './support/test-app';

/** What the server does with a client that announces a body and then stalls or trickles it. */
describe('slow request bodies', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp({ REQUEST_TIMEOUT_MS: '1000' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  /** Resolves with what the server sent before it closed the connection, or 'still open' after `waitMs`. */
  function outcome(socket: Socket, waitMs: number): Promise<string> {
    return new Promise((resolve) => {
      let received = '';
      const timer = setTimeout(() => resolve('still open'), waitMs);
      socket.on('data', (d) => (received += d.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(received || 'closed');
      });
    });
  }

  const head = 'POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n';

  it('answers 408 or closes a request whose body stalls', async () => {
    const socket = connect(port, '127.0.0.1');
    socket.write(head + '{"events":[');
    const result = await outcome(socket, 8000);
    socket.destroy();
    expect(result === 'closed' || result.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('answers 408 or closes a request whose body trickles in', async () => {
    const socket = connect(port, '127.0.0.1');
    socket.write(head);
    const trickle = setInterval(() => socket.writable && socket.write(' '), 100);
    const result = await outcome(socket, 8000);
    clearInterval(trickle);
    socket.destroy();
    expect(result === 'closed' || result.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('answers 408 or closes a connection whose headers never end', async () => {
    const socket = connect(port, '127.0.0.1');
    socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const trickle = setInterval(() => socket.writable && socket.write('X-A: b\r\n'), 100);
    const result = await outcome(socket, 8000);
    clearInterval(trickle);
    socket.destroy();
    expect(result === 'closed' || result.startsWith('HTTP/1.1 408')).toBe(true);
  });

  it('still serves a request that arrives in time', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    expect(res.status).toBe(200);
  });
});
