import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { minVersion, satisfies } from 'semver';

const ROOT = path.join(__dirname, '..');
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

interface Manifest {
  name: string;
  version: string;
  engines?: { node?: string };
  scripts?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}

/** Every installed package (nested node_modules too), as npm ci left them. */
function installed(dir = path.join(ROOT, 'node_modules')): Manifest[] {
  const out: Manifest[] = [];
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    if (name.startsWith('.')) continue;
    const folders = name.startsWith('@') ? readdirSync(path.join(dir, name)).map((n) => path.join(dir, name, n)) : [path.join(dir, name)];
    for (const folder of folders) {
      const manifest = path.join(folder, 'package.json');
      if (!existsSync(manifest)) continue;
      out.push(readJson<Manifest>(manifest));
      out.push(...installed(path.join(folder, 'node_modules')));
    }
  }
  return out;
}

/**
 * `npm ci` on the Node the README names prints no engine warning and no unreviewed install script:
 * what npm 11 checks, checked on what it installed.
 */
describe('a clean install', () => {
  const project = readJson<Manifest>(path.join(ROOT, 'package.json'));
  const oldest = minVersion(project.engines!.node!)!.version;
  const packages = installed();

  it('names the same oldest Node in the README as in package.json engines', () => {
    expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(`Needs Node.js ${oldest.replace(/\.0$/, '')} or newer`);
  });

  it(`installs only packages whose engines accept Node ${project.engines!.node}`, () => {
    expect(packages.length).toBeGreaterThan(100);
    const refusing = packages.filter((p) => p.engines?.node && !satisfies(oldest, p.engines.node)).map((p) => `${p.name}@${p.version} (node ${p.engines!.node})`);
    expect(refusing).toEqual([]);
  });

  it('has every installed package with an install script approved or denied in allowScripts', () => {
    const decided = new Set(Object.keys(project.allowScripts ?? {}).map((k) => k.replace(/(.)@[^@]*$/, '$1')));
    const withScripts = packages.filter((p) => ['preinstall', 'install', 'postinstall'].some((s) => p.scripts?.[s]));
    expect(withScripts.length).toBeGreaterThan(0);
    expect(withScripts.map((p) => p.name).filter((n) => !decided.has(n))).toEqual([]);
  });
});
