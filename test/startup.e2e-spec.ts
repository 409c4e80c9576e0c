import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort } from './support/global-setup';
import { buildServer, startServer, waitForHealth } from './support/server-process';

const start = startServer;

describe('start-up as a new user meets it', () => {
  jest.setTimeout(300_000);
  let dataDir: string;
  beforeAll(() => {
    buildServer();
    dataDir = mkdtempSync(path.join(tmpdir(), 'footfall-start-'));
    chmodSync(dataDir, 0o755);
  });

  it('serves /health with an embedded Postgres, shuts down on SIGTERM, and keeps data across restarts', async () => {
    const [port, pgPort] = [await freePort(), await freePort()];
    const env = { PORT: String(port), DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) };

    const first = start(env);
    // The first start creates the Postgres cluster and runs every migration: on a busy 2-core
    // machine that once took over a minute, so it gets two (the later starts reuse the cluster).
    await waitForHealth(port, 120_000);
    // Start-up speaks JSON lines like every log line (at the default level too): where Postgres
    // listens (socket and TCP), and last, where Footfall listens and what to do next.
    const lines = first.output().trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    expect(lines[0].msg).toMatch(/^embedded Postgres on Unix socket in .* and 127\.0\.0\.1:\d+, data in /);
    expect(lines[lines.length - 1].msg).toBe(
      `Footfall listening on http://127.0.0.1:${port}. Next: open http://127.0.0.1:${port}/ (the dashboard: sign up there), or the API at http://127.0.0.1:${port}/docs (README: The API by example)`,
    );
    const signup = await fetch(`http://127.0.0.1:${port}/api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'persist@example.com', password: 'correct horse battery' }),
    });
    expect(signup.status).toBe(201);
    first.proc.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = start(env);
    await waitForHealth(port, 60_000);
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'persist@example.com', password: 'correct horse battery' }),
    });
    expect(login.status).toBe(200);
    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('starts again after being killed (SIGKILL), stopping the Postgres it left running', async () => {
    const [port, dir] = [await freePort(), mkdtempSync(path.join(tmpdir(), 'footfall-start-'))];
    chmodSync(dir, 0o755);
    const killed = start({ PORT: String(port), DATA_DIR: dir });
    await waitForHealth(port, 60_000);
    killed.proc.kill('SIGKILL');
    await killed.exited;
    const again = start({ PORT: String(port), DATA_DIR: dir });
    await waitForHealth(port, 60_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${again.output()}`);
    });
    expect(again.output()).toMatch(/stopping the embedded Postgres \(pid \d+\) left running by a Footfall that is gone/);
    again.proc.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('stops with one line when the embedded Postgres port it was given is taken', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const taken = (holder.address() as { port: number }).port;
    try {
      const run = start({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'footfall-start-')), PORT: String(await freePort()), EMBEDDED_PG_PORT: String(taken) });
      expect(await run.exited).toBe(1);
      expect(run.output().trim()).toBe(`Footfall failed to start: embedded Postgres port ${taken} is in use: set EMBEDDED_PG_PORT or DATABASE_URL`);
    } finally {
      holder.close();
    }
  });

  it.each([
    [{ PORT: 'abc' }, 'Configuration error: PORT must be a whole number (got "abc")'],
    [{ NODE_ENV: 'production', JWT_SECRET: '' }, 'Configuration error: JWT_SECRET is required when NODE_ENV=production'],
  ])('stops with a one-line message naming the bad variable: %p', async (env, message) => {
    const run = start({ DATA_DIR: dataDir, ...env });
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe(message);
  });
});
