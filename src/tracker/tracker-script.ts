import { Injectable, Logger } from '@nestjs/common';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { contentEtag } from '../common/content-etag';
import { repoRoot } from '../common/repo-root';

/** The built tracker script with its ETag. */
export interface TrackerScript {
  body: string;
  etag: string;
}

const mtime = (file: string) => (existsSync(file) ? statSync(file).mtimeMs : -1);

/**
 * Loads the tracker compiled by `npm run build` (tracker/tsconfig.json -> dist/tracker/tracker.js).
 * When that file is missing or older than tracker/tracker.ts and the TypeScript compiler is
 * installed (development, tests), the source is compiled on first use instead.
 */
@Injectable()
export class TrackerScriptLoader {
  private readonly logger = new Logger(TrackerScriptLoader.name);
  private script: TrackerScript | null = null;

  get(): TrackerScript {
    this.script ??= this.load();
    return this.script;
  }

  private load(): TrackerScript {
    const root = repoRoot();
    const built = path.join(root, 'dist', 'tracker', 'tracker.js');
    const source = path.join(root, 'tracker', 'tracker.ts');
    let body: string | null = null;
    if (mtime(source) > mtime(built)) body = this.compile(source);
    if (body === null) {
      if (!existsSync(built)) throw new Error(`Tracker script not built: run \`npm run build\` (expected dist/tracker/tracker.js)`);
      body = readFileSync(built, 'utf8');
    }
    return { body, etag: contentEtag(body) };
  }

  /** Compiles the tracker source with the TypeScript compiler, or null when it is not installed. */
  private compile(source: string): string | null {
    let ts: typeof import('typescript');
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      ts = require('typescript');
    } catch {
      return null;
    }
    this.logger.log('compiling tracker/tracker.ts on demand (run `npm run build` to prebuild it)');
    return ts.transpileModule(readFileSync(source, 'utf8'), {
      fileName: 'tracker.ts',
      compilerOptions: { target: ts.ScriptTarget.ES2017, removeComments: true, sourceMap: false, alwaysStrict: true },
    }).outputText;
  }
}
