import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort } from './support/global-setup';
import { waitForHealth } from './support/server-process';

const ROOT = path.join(__dirname, '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
/** The README's placeholders, replaced by what the examples before them answered. */
const EXAMPLE_SITE = 'k3Jd8aPq2xYz';

interface Step {
  command: string;
  /** From the `# -> NNN …` comment after the command, when there is one. */
  status?: number;
  /** `NAME=…`: the reader pastes a value from an earlier answer; the test sets it. */
  assigns?: string;
}

/** The README's ```sh example blocks, in order, as commands (continuation lines joined) and expected statuses. */
function readmeExamples(markdown: string): Step[] {
  const steps: Step[] = [];
  for (const block of markdown.matchAll(/^```sh example\n([\s\S]*?)^```$/gm)) {
    let pending = '';
    for (const line of block[1].split('\n')) {
      if (pending) {
        pending += '\n' + line;
        if (!line.endsWith('\\')) steps.push({ command: pending }), (pending = '');
        continue;
      }
      const expected = /^# -> (\d{3})\b/.exec(line);
      if (expected) {
        steps[steps.length - 1].status = Number(expected[1]);
      } else if (/^[A-Z_]+=\S*…/.test(line)) {
        steps.push({ command: line, assigns: line.split('=')[0] });
      } else if (line.trim() && !line.startsWith('#')) {
        if (line.endsWith('\\')) pending = line;
        else steps.push({ command: line });
      }
    }
  }
  return steps;
}

describe('README examples, run as written against a started Footfall', () => {
  jest.setTimeout(180_000);
  let dataDir: string;
  let server: ChildProcess;
  let exited: Promise<unknown>;
  let output = '';
  let port: number;
  const files = ['events.ndjson', 'events.ndjson.footfall-import.json'].map((f) => path.join(ROOT, f));

  beforeAll(async () => {
    // The import example writes events.ndjson where `npm run import` runs: the project folder.
    for (const f of files) if (existsSync(f)) throw new Error(`${f} exists: move it away, the README's import example writes it`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'footfall-readme-'));
    chmodSync(dataDir, 0o755);
    port = await freePort();
    // `npm start` as the README's first lines say (its own process group, to stop npm and Footfall together).
    const env = { ...process.env, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: '', EMBEDDED_PG_PORT: '', LOG_LEVEL: 'warn' };
    server = spawn('npm', ['start'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    exited = new Promise((resolve) => server.once('exit', resolve));
    server.stdout!.on('data', (d) => (output += d));
    server.stderr!.on('data', (d) => (output += d));
    await waitForHealth(port, 90_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${output}`);
    });
  });

  afterAll(async () => {
    if (server?.pid) process.kill(-server.pid, 'SIGTERM');
    await exited;
    for (const f of files) rmSync(f, { force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds the examples: sign-up, a website, a key, goals, every ingestion dialect, shields, an import, the queries and shared links', () => {
    const commands = readmeExamples(README).map((s) => s.command).join('\n');
    for (const route of ['/api/auth/signup', '/api/websites ', '/api/api-keys', '/goals', '/shields', '/api/v1/events/custom', '/api/collect', '/api/track', '/api/send', '/track/batch', '/api/v1/events ', '/api/event ', 'npm run import', '/stats', '/breakdown/', '/api/v2/query', '/shared-links', '/api/share/']) {
      expect(commands).toContain(route.trim());
    }
  });

  it('every example exits 0 with the status the README shows', () => {
    const vars: Record<string, string> = {};
    let site = EXAMPLE_SITE;
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', EMBEDDED_PG_PORT: '', npm_config_loglevel: 'error' };
    const results: string[] = [];
    for (const step of readmeExamples(README)) {
      if (step.assigns) {
        expect(vars[step.assigns]).toBeDefined();
        continue;
      }
      const command = step.command.replaceAll('localhost:3000', `127.0.0.1:${port}`).replaceAll(EXAMPLE_SITE, site);
      // Each curl prints its HTTP status last, so the test can compare it with the README's.
      const script = `curl() { command curl -w '\\n%{http_code}\\n' "$@"; }\nset -e\n${command}`;
      const run = spawnSync('bash', ['-c', script], { cwd: ROOT, env: { ...env, ...vars }, encoding: 'utf8', timeout: 90_000 });
      const out = run.stdout.trimEnd().split('\n');
      const isCurl = command.startsWith('curl');
      const status = isCurl ? Number(out.pop()) : null;
      const body = out.join('\n');
      results.push(`${command.split('\n')[0]} -> exit ${run.status}, HTTP ${status}`);
      expect({ command, exit: run.status, stderr: run.stderr.slice(0, 500) }).toEqual({ command, exit: 0, stderr: expect.anything() });
      if (isCurl) {
        if (step.status !== undefined) expect({ command, status, body }).toEqual({ command, status: step.status, body });
        else expect({ command, ok: status! >= 200 && status! < 300, body }).toEqual({ command, ok: true, body });
        // Plausible's route answers "ok" as text; every other answer is JSON.
        const answer = (body === 'ok' ? {} : JSON.parse(body)) as Record<string, unknown>;
        // A shared link's session is not the account's token: it gets a name of its own.
        if (typeof answer.access_token === 'string') vars[command.includes('/api/share/') ? 'SESSION' : 'TOKEN'] = answer.access_token;
        if (typeof answer.token === 'string' && typeof answer.url === 'string') vars.SHARE = answer.token;
        if (typeof answer.key === 'string') vars.KEY = answer.key;
        if (command.includes('/api/websites ') && typeof answer.id === 'string') site = answer.id;
      }
    }
    expect(results.length).toBeGreaterThan(10);
  });
});
