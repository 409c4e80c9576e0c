import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
export const MAIN = path.join(ROOT, 'dist', 'src', 'main.js');

/** Compiles the server, as `npm run build` does, for the tests that start it as a process. */
export function buildServer(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT });
}

/** The compiled server as `npm start` runs it (buildServer first). */
export function startServer(
  env: Record<string, string | undefined>,
  /** Another copy of the app (its folder and its dist/src/main.js), for tests that move it. */
  at: { cwd: string; main: string } = { cwd: ROOT, main: MAIN },
): { proc: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.EMBEDDED_PG_PORT;
  const proc = spawn(process.execPath, [at.main], { cwd: at.cwd, env: { ...base, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, output: () => out, exited };
}

export async function waitForHealth(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status === 200, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no healthy answer on ${port} within ${timeoutMs} ms`);
}
