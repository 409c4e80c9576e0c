import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, unlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');

/**
 * `npm start` and `npm run import` compile only when a source changed since the last build, so a
 * start does not pay for the compiler every time. Checked in a copy of the project whose
 * node_modules can lose the compiler: a start that still ran it would fail.
 */
describe('npm start compiles only what changed', () => {
  jest.setTimeout(120_000);
  let dir: string;

  const npm = (...args: string[]) => spawnSync('npm', ['run', '--silent', ...args], { cwd: dir, encoding: 'utf8', timeout: 90_000 });
  const compiler = (present: boolean) => {
    const link = path.join(dir, 'node_modules', 'typescript');
    if (present) symlinkSync(path.join(ROOT, 'node_modules', 'typescript'), link);
    else unlinkSync(link);
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'footfall-build-'));
    for (const entry of ['src', 'bench', 'tracker', 'web', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package.json']) {
      cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
    }
    mkdirSync(path.join(dir, 'node_modules'));
    for (const name of readdirSync(path.join(ROOT, 'node_modules'))) symlinkSync(path.join(ROOT, 'node_modules', name), path.join(dir, 'node_modules', name));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds once, then starts without the compiler until a source changes', () => {
    const first = npm('build');
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });

    compiler(false);
    const unchanged = npm('prestart');
    expect({ status: unchanged.status, stdout: unchanged.stdout, stderr: unchanged.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });

    // A changed source is compiled before the start (and says so): here, without a compiler, it cannot be.
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(dir, 'src', 'main.ts'), later, later);
    const stale = npm('prestart');
    expect(stale.status).toBe(1);
    expect(stale.stderr.trim()).toBe('dist/ needs building and TypeScript is not installed: run `npm ci` (with dev dependencies), then `npm run build`');

    compiler(true);
    const rebuilt = npm('prestart');
    expect({ status: rebuilt.status, stderr: rebuilt.stderr.trim() }).toEqual({ status: 0, stderr: 'sources changed since the last build: compiling (a few seconds)' });
    compiler(false);
    expect(npm('prestart').status).toBe(0);
  });
});
