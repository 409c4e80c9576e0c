import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parallelQueryFlags, runningPostgres, socketDirFor } from './embedded-postgres';

describe('parallelQueryFlags', () => {
  it('gives a query up to half the cores (at most 4) and none on one core', () => {
    const perQuery = (cores: number) => parallelQueryFlags(cores)[1];
    expect([1, 2, 3, 4, 8, 16].map(perQuery)).toEqual([0, 1, 1, 2, 4, 4].map((n) => `max_parallel_workers_per_gather=${n}`));
    expect(parallelQueryFlags(16)[3]).toBe('max_parallel_workers=8');
    expect(parallelQueryFlags(1)[3]).toBe('max_parallel_workers=1');
  });
});

describe('socketDirFor', () => {
  it('puts the socket in the data folder when its path fits', () => {
    expect(socketDirFor('/srv/footfall/.data/postgres', 5433, 'linux')).toBe('/srv/footfall/.data/postgres');
  });

  it('keeps TCP only for a socket path beyond the Unix limit', () => {
    const deep = '/srv/' + 'a'.repeat(90) + '/postgres';
    expect(socketDirFor(deep, 5433, 'linux')).toBeNull();
  });

  it('keeps TCP only for folders the comma-separated setting cannot hold, and on Windows', () => {
    expect(socketDirFor('/srv/my data/postgres', 5433, 'linux')).toBeNull();
    expect(socketDirFor('/srv/a,b/postgres', 5433, 'linux')).toBeNull();
    expect(socketDirFor('/srv/footfall/postgres', 5433, 'win32')).toBeNull();
  });
});

describe('runningPostgres', () => {
  const folder = (pid: number) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'footfall-pid-'));
    writeFileSync(path.join(dir, 'postmaster.pid'), `${pid}\n${dir}\n1796400000\n54329\n${dir}\n127.0.0.1\n  1234  5678\nready   \n`);
    return dir;
  };

  it('reads where the Postgres of a data folder listens, while its process lives', () => {
    const dir = folder(process.pid);
    expect(runningPostgres(dir)).toEqual({ pid: process.pid, port: 54329, socketDir: dir });
  });

  it('ignores a folder without one, or a pid file left by a process that is gone', () => {
    expect(runningPostgres(mkdtempSync(path.join(tmpdir(), 'footfall-pid-')))).toBeNull();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    expect(runningPostgres(folder(gone))).toBeNull();
  });
});
