import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');

/**
 * The dashboard's API types are generated from openapi.json and committed, so a change of the API
 * shows up as a diff of the types the dashboard compiles against (`npm run openapi:client`).
 */
describe('the dashboard\'s generated API client', () => {
  it('web/src/api/schema.d.ts is what openapi-typescript makes of openapi.json (run `npm run openapi:client`)', () => {
    const cli = path.join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
    const run = spawnSync(process.execPath, [cli, 'openapi.json'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(readFileSync(path.join(ROOT, 'web', 'src', 'api', 'schema.d.ts'), 'utf8'));
  });
});
