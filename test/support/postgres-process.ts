import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface PostgresProcess {
  url: string;
  stop(): Promise<void>;
}

/** Starts test/support/postgres-process.mjs and resolves once Postgres accepts connections. */
export function startPostgresProcess(dataDir: string, port: number): Promise<PostgresProcess> {
  const proc = spawn(process.execPath, [path.join(__dirname, 'postgres-process.mjs'), dataDir, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`postgres process exited with ${code}`)));
    proc.stdout!.on('data', (d: Buffer) => {
      if (!d.toString().includes('ready')) return;
      resolve({
        url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
        stop: async () => {
          proc.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
