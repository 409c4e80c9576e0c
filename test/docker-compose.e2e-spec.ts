import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The production shape: docker-compose.yml validates (Compose's own `config`), requires its
 * secrets, and runs Postgres 16 with a named volume and a health check; the image is multi-stage
 * and runs as a non-root user. Needs a Compose CLI (v2 plugin or Debian's docker-compose), which
 * CI installs; elsewhere the Compose checks are skipped, saying so.
 */
const ROOT = path.join(__dirname, '..');

function composeCommand(): string[] | null {
  if (spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0) return ['docker-compose'];
  return null;
}

const compose = composeCommand();
const env = { ...process.env, JWT_SECRET: 'x'.repeat(40), POSTGRES_PASSWORD: 'secret' };
const run = (args: string[], extraEnv: Record<string, string | undefined> = env) =>
  spawnSync(compose![0], [...compose!.slice(1), ...args], { cwd: ROOT, env: extraEnv as NodeJS.ProcessEnv, encoding: 'utf8' });

(compose || process.env.CI ? describe : describe.skip)('docker-compose.yml (needs docker compose or docker-compose)', () => {
  it('validates with its secrets set', () => {
    expect(compose).not.toBeNull();
    const res = run(['config', '-q']);
    expect([res.status, res.stderr]).toEqual([0, '']);
  });

  it('refuses to render without JWT_SECRET or POSTGRES_PASSWORD', () => {
    const noJwt = run(['config', '-q'], { ...env, JWT_SECRET: undefined });
    expect(noJwt.status).not.toBe(0);
    expect(noJwt.stderr).toContain('JWT_SECRET');
    const noPassword = run(['config', '-q'], { ...env, POSTGRES_PASSWORD: undefined });
    expect(noPassword.status).not.toBe(0);
    expect(noPassword.stderr).toContain('POSTGRES_PASSWORD');
  });

  it('runs Footfall in production mode on Postgres 16 with a named volume and health check', () => {
    const config = run(['config']).stdout;
    expect(config).toMatch(/image: postgres:16/);
    expect(config).toMatch(/footfall-pgdata:\/var\/lib\/postgresql\/data/);
    expect(config).toMatch(/pg_isready/);
    expect(config).toMatch(/NODE_ENV: production/);
    expect(config).toMatch(/DATABASE_URL: postgres:\/\/footfall:secret@postgres:5432\/footfall/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  it('builds in a separate stage and runs only compiled code, as a non-root user, with a health check', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\/health/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });
});
