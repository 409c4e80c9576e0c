#!/usr/bin/env node
// Builds the dashboard (web/) into dist/web: type-checks it, bundles it with esbuild into
// content-hashed assets, writes index.html referring to them, and prints the gzipped size.
// Run by scripts/build.mjs; alone (`node scripts/build-web.mjs`) it rebuilds only the dashboard.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The budget of the issue: all JavaScript of the app, gzipped. */
const JS_BUDGET = 150 * 1024;

export async function buildWeb(root = process.cwd()) {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'web', 'tsconfig.json')], { stdio: 'inherit' });
  const { build } = await import('esbuild');
  const out = path.join(root, 'dist', 'web');
  rmSync(out, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { app: 'web/src/main.tsx' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: path.join(out, 'assets'),
    entryNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    logLevel: 'error',
  });
  const outputs = Object.keys(result.metafile.outputs).map((f) => path.relative(path.join(out, 'assets'), path.resolve(root, f)));
  const js = outputs.filter((f) => f.endsWith('.js'));
  const css = outputs.filter((f) => f.endsWith('.css'));
  const html = readFileSync(path.join(root, 'web', 'index.html'), 'utf8')
    .replace('<!-- styles -->', css.map((f) => `<link rel="stylesheet" href="/assets/${f}">`).join(''))
    .replace('<!-- scripts -->', js.map((f) => `<script type="module" src="/assets/${f}"></script>`).join(''));
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'index.html'), html);
  const gzipped = js.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(out, 'assets', f))).length, 0);
  const cssGzipped = css.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(out, 'assets', f))).length, 0);
  console.log(`dashboard: ${(gzipped / 1024).toFixed(1)} KB of JavaScript gzipped (budget 150 KB), ${(cssGzipped / 1024).toFixed(1)} KB of CSS`);
  if (gzipped > JS_BUDGET) throw new Error(`the dashboard's JavaScript is ${gzipped} bytes gzipped, over the ${JS_BUDGET}-byte budget`);
  return { js, css, gzipped };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildWeb().catch((err) => {
    console.error(err.message ?? err);
    process.exit(1);
  });
}
