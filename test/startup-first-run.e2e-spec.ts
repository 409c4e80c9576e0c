import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort } from './support/global-setup';
import { buildServer, startServer, waitForHealth } from './support/server-process';

const ROOT = path.join(__dirname, '..');

/** Where a started Footfall's embedded Postgres listens, as its data folder records it (postmaster.pid, line 4). */
function postgresPort(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);
}

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

/**
 * The first run as it happens on a fresh server or in a container: cloned into root's home (a
 * 0700 folder), `npm start` as root, then `npm run import` beside the running server, and a second
 * Footfall on the same machine.
 */
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!asRoot) it.skip('as root from a 0700 folder: skipped, the tests do not run as root here', () => undefined);
(asRoot ? describe : describe.skip)('first run as root from a private folder', () => {
  jest.setTimeout(180_000);
  let home: string;
  let app: string;
  let at: { cwd: string; main: string };
  const stopped: Array<() => Promise<unknown>> = [];

  beforeAll(() => {
    buildServer();
    // /root/footfall: the app, its node_modules (with the Postgres binaries) and its data, all
    // inside a folder only root may enter.
    home = mkdtempSync(path.join(tmpdir(), 'footfall-home-'));
    chmodSync(home, 0o700);
    app = path.join(home, 'footfall');
    mkdirSync(app);
    for (const entry of ['dist', 'migrations', 'package.json']) cpSync(path.join(ROOT, entry), path.join(app, entry), { recursive: true });
    // Hard links: a real copy in the private folder at the cost of none of the bytes.
    execFileSync('cp', ['-al', path.join(ROOT, 'node_modules'), path.join(app, 'node_modules')]);
    at = { cwd: app, main: path.join(app, 'dist', 'src', 'main.js') };
  });

  afterAll(async () => {
    for (const stop of stopped) await stop();
    // Data the postgres user could not reach inside the private folder lives where the link points.
    for (const dataDir of [path.join(app, '.data'), path.join(home, 'second')]) {
      const link = path.join(dataDir, 'postgres');
      try {
        if (lstatSync(link).isSymbolicLink()) rmSync(realpathSync(link), { recursive: true, force: true });
      } catch {
        // never created
      }
    }
    rmSync(home, { recursive: true, force: true });
  });

  function run(env: Record<string, string>) {
    const server = startServer(env, at);
    stopped.push(async () => {
      if (server.proc.exitCode === null) server.proc.kill('SIGTERM');
      return server.exited;
    });
    return server;
  }

  /** Healthy within a minute, or the reason it is not (its output), as soon as it exits. */
  async function healthy(server: ReturnType<typeof run>, port: number): Promise<void> {
    const died = server.exited.then((code) => Promise.reject(new Error(`exited with ${code}: ${server.output()}`)));
    await Promise.race([waitForHealth(port, 60_000), died]).catch((err: Error) => {
      throw new Error(`${err.message}\n${server.output()}`);
    });
  }

  it('npm start serves, npm run import writes into the running instance, and a second instance gets its own Postgres port or a clear message', async () => {
    const port = await freePort();
    const first = run({ PORT: String(port) });
    await healthy(first, port);

    const signup = await fetch(`http://127.0.0.1:${port}/api/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'root@example.com', password: 'correct horse battery', organization_name: 'Root' }),
    });
    expect(signup.status).toBe(201);
    const token = (await json(signup)).access_token as string;
    const site = await fetch(`http://127.0.0.1:${port}/api/websites`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: 'Blog', domain: 'example.com' }),
    });
    expect(site.status).toBe(201);
    const websiteId = (await json(site)).id as string;

    // The import, while the server runs, finds the server's Postgres through the data folder.
    const file = path.join(home, 'events.ndjson');
    const day = new Date().toISOString().slice(0, 10);
    writeFileSync(file, ['/a', '/b', '/c'].map((p) => JSON.stringify({ url: `https://example.com${p}`, timestamp: `${day}T00:00:01Z` })).join('\n') + '\n');
    const env = { ...process.env, DATABASE_URL: '', EMBEDDED_PG_PORT: '' };
    const imported = spawnSync(process.execPath, [path.join(app, 'dist', 'src', 'cli', 'import.js'), '--website', websiteId, '--file', file], { cwd: app, env, encoding: 'utf8', timeout: 60_000 });
    expect({ status: imported.status, stderr: imported.stderr }).toEqual({ status: 0, stderr: expect.stringContaining('3') });
    const stats = await fetch(`http://127.0.0.1:${port}/api/websites/${websiteId}/stats?start_date=${day}&end_date=${day}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await json(stats)).pageviews as { value: number }).value).toBe(3);
    expect(await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status)).toBe(200);

    // A second Footfall in the same folder: the data folder is taken, and it says so in one line.
    const same = run({ PORT: String(await freePort()) });
    expect(await same.exited).toBe(1);
    expect(same.output().trim().split('\n')).toEqual([expect.stringMatching(/^Footfall failed to start: the embedded Postgres in .* is already running \(pid \d+, port \d+\).*DATA_DIR.*DATABASE_URL/)]);

    // Another data folder with the port taken: an explicit port is refused in one line...
    const pgPort = postgresPort(path.join(app, '.data'));
    const taken = run({ PORT: String(await freePort()), DATA_DIR: path.join(home, 'second'), EMBEDDED_PG_PORT: String(pgPort) });
    expect(await taken.exited).toBe(1);
    expect(taken.output().trim()).toBe(`Footfall failed to start: embedded Postgres port ${pgPort} is in use: set EMBEDDED_PG_PORT or DATABASE_URL`);

    // ...and with EMBEDDED_PG_PORT unset (the default port held by the first), it picks a free one.
    const port2 = await freePort();
    const second = run({ PORT: String(port2), DATA_DIR: path.join(home, 'second') });
    await healthy(second, port2);
    expect(postgresPort(path.join(home, 'second'))).not.toBe(pgPort);

    // The HTTP port in use: one line naming the variable.
    const busy = run({ PORT: String(port), DATA_DIR: path.join(home, 'second') });
    expect(await busy.exited).toBe(1);
    expect(busy.output().trim()).toBe(`Footfall failed to start: port ${port} on 127.0.0.1 is in use: set PORT (or HOST)`);

    second.proc.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    first.proc.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });
});
