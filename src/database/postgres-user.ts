import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** The user Postgres runs as when Footfall runs as root (Postgres refuses to run as root). */
export interface RunAs {
  uid: number;
  gid: number;
}

/** Where root keeps what the postgres user must reach when the app lives in a private folder. */
export const SHARED_ROOT = '/var/lib/footfall';

/** A start-up failure with a one-line message that says what to do. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

function idOf(flag: '-u' | '-g'): number | null {
  try {
    return Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return null;
  }
}

/** The `postgres` system user, created when missing (as Debian's own PostgreSQL package does). */
export function postgresUser(): RunAs {
  if (idOf('-u') === null) {
    try {
      spawnSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
    } catch {
      throw new EmbeddedPostgresError('Postgres cannot run as root and the `postgres` user could not be created: create it (useradd --system postgres), run Footfall as another user, or set DATABASE_URL');
    }
  }
  const uid = idOf('-u');
  const gid = idOf('-g');
  if (uid === null || gid === null) throw new EmbeddedPostgresError('the `postgres` user has no uid or gid: set DATABASE_URL');
  return { uid, gid };
}

/** Whether that user may enter (or, for a file, run) the path: every folder above it must let them through. */
export function reachable(user: RunAs, target: string): boolean {
  return spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', target], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

/**
 * The Postgres binaries (the package's `native` folder) where the postgres user can run them:
 * where they are, or a copy root keeps in SHARED_ROOT, made once per version.
 */
export function binariesFor(user: RunAs, nativeDir: string, version: string): string {
  if (reachable(user, path.join(nativeDir, 'bin', 'postgres'))) return nativeDir;
  const shared = path.join(SHARED_ROOT, `postgres-${version}-${process.arch}`);
  if (existsSync(path.join(shared, '.complete'))) return shared;
  mkdirSync(SHARED_ROOT, { recursive: true, mode: 0o755 });
  // Copied aside and renamed into place, so two instances starting together never see half a copy.
  const partial = `${shared}.${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
  writeFileSync(path.join(partial, '.complete'), `${nativeDir}\n`);
  try {
    renameSync(partial, shared);
  } catch {
    rmSync(partial, { recursive: true, force: true }); // another instance was first
  }
  if (!existsSync(path.join(shared, '.complete'))) throw new EmbeddedPostgresError(`${shared} is not a complete copy of the Postgres binaries: remove it and start again`);
  return shared;
}

/**
 * The Postgres data folder the postgres user can own: `DATA_DIR/postgres` itself, or, when
 * DATA_DIR is inside a folder that user cannot enter, a folder in SHARED_ROOT (one per DATA_DIR)
 * that `DATA_DIR/postgres` links to. Returns the real path, owned by that user.
 */
export function dataFolderFor(user: RunAs, dataDir: string): string {
  const link = path.join(dataDir, 'postgres');
  let target = link;
  if (!reachable(user, dataDir)) {
    const stat = lstatOrNull(link);
    if (stat?.isSymbolicLink()) {
      target = realpathOrTarget(link);
    } else if (stat && readdirSync(link).length > 0) {
      throw new EmbeddedPostgresError(`the postgres user cannot reach ${link} (a folder above it is private to root): move DATA_DIR to a folder it can enter, or set DATABASE_URL`);
    } else {
      if (stat) rmSync(link, { recursive: true });
      const id = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
      target = path.join(SHARED_ROOT, `data-${id}`);
      mkdirSync(SHARED_ROOT, { recursive: true, mode: 0o755 });
      symlinkSync(target, link);
    }
  }
  mkdirSync(target, { recursive: true, mode: 0o700 });
  chownSync(target, user.uid, user.gid);
  return target;
}

function lstatOrNull(file: string) {
  try {
    return lstatSync(file);
  } catch {
    return null;
  }
}

function realpathOrTarget(link: string): string {
  try {
    return realpathSync(link);
  } catch {
    // A dangling link (its target was removed): create the target again.
    return path.resolve(path.dirname(link), readlinkSync(link));
  }
}
