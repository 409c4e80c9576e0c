import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root, found from a module's folder both under src/ (tests) and dist/src/ (npm start). */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  for (let i = 0; i < 5; i++) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(from, '..', '..');
}
