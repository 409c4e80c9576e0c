#!/usr/bin/env node
// `npm run build`: compiles the server (tsconfig.build.json), the browser tracker and the dashboard
// (web/, scripts/build-web.mjs) into dist/.
// With --if-changed (before `npm start`, `npm run import`...): only when a source or compiler
// setting changed since the last build, so a start does not pay for the compiler every time.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildWeb } from './build-web.mjs';

const root = process.cwd();
const STAMP = path.join(root, 'dist', '.build-sources');
const OUTPUTS = ['dist/src/main.js', 'dist/tracker/tracker.js', 'dist/web/index.html'];
const INPUTS = ['src', 'bench', 'tracker', 'web', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** Every input file's path, size and modification time, hashed: a changed, added or deleted source changes it. */
function fingerprint() {
  const hash = createHash('sha256');
  const walk = (rel) => {
    const abs = path.join(root, rel);
    if (!existsSync(abs)) return;
    const stat = statSync(abs);
    if (stat.isDirectory()) {
      for (const name of readdirSync(abs).sort()) walk(path.join(rel, name));
    } else if (!rel.endsWith('.spec.ts')) {
      hash.update(`${rel}\t${stat.size}\t${stat.mtimeMs}\n`);
    }
  };
  INPUTS.forEach(walk);
  return hash.digest('hex');
}

const current = fingerprint();
const built = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim() : null;
const complete = OUTPUTS.every((f) => existsSync(path.join(root, f)));
if (process.argv.includes('--if-changed') && complete && built === current) process.exit(0);

const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc)) {
  // Compiled code shipped without its sources runs as it is.
  if (complete && !existsSync(path.join(root, 'src')) && process.argv.includes('--if-changed')) process.exit(0);
  console.error('dist/ needs building and TypeScript is not installed: run `npm ci` (with dev dependencies), then `npm run build`');
  process.exit(1);
}
if (process.argv.includes('--if-changed')) console.error(built ? 'sources changed since the last build: compiling (a few seconds)' : 'first start: compiling (a few seconds, once)');
try {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  execFileSync(process.execPath, [tsc, '-p', 'tracker/tsconfig.json'], { stdio: 'inherit' });
  await buildWeb(root);
} catch (err) {
  if (!(err && typeof err === 'object' && 'status' in err)) console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
mkdirSync(path.dirname(STAMP), { recursive: true });
writeFileSync(STAMP, `${current}\n`);
