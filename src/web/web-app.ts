import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { contentEtag } from '../common/content-etag';
import { repoRoot } from '../common/repo-root';

/**
 * The dashboard's policy: its own scripts, styles and API only. No inline script or style
 * element, no eval; images only from itself (and data: for the empty favicon).
 */
export const WEB_APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Client-side routes of the single-page app: each answers its index.html. */
export const WEB_APP_ROUTES = ['/', '/login', '/signup', '/websites', '/websites/*', '/settings', '/settings/*', '/share/*'];

const TYPES: Record<string, string> = { '.js': 'application/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json' };

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** The files `npm run build` wrote into dist/web, read once. */
class WebAppFiles {
  private index: Asset | null = null;
  private assets = new Map<string, Asset>();

  constructor(private readonly dir: string) {}

  /** null until the app is built (a build while Footfall runs is picked up on the next request). */
  indexHtml(): Asset | null {
    if (!this.index) this.load();
    return this.index;
  }

  asset(name: string): Asset | undefined {
    if (!this.index) this.load();
    return this.assets.get(name);
  }

  private load(): void {
    const indexFile = path.join(this.dir, 'index.html');
    if (!existsSync(indexFile)) return;
    const assetDir = path.join(this.dir, 'assets');
    for (const name of existsSync(assetDir) ? readdirSync(assetDir) : []) {
      const type = TYPES[path.extname(name)];
      if (type) this.assets.set(name, asset(readFileSync(path.join(assetDir, name)), type));
    }
    this.index = asset(readFileSync(indexFile), 'text/html; charset=utf-8');
  }
}

function asset(body: Buffer, type: string): Asset {
  return { body, type, etag: contentEtag(body) };
}

function send(reply: FastifyReply, file: Asset, cacheControl: string, ifNoneMatch: string | undefined): void {
  reply.header('Content-Security-Policy', WEB_APP_CSP).header('Cache-Control', cacheControl).header('ETag', file.etag);
  if (ifNoneMatch === file.etag) {
    reply.status(304).send();
    return;
  }
  reply.type(file.type).send(file.body);
}

/**
 * Serves the dashboard (web/, built into dist/web) at / and its client-side routes, with its
 * assets under /assets/ (content-hashed names, so cached for a year). Plain Fastify routes: they
 * are not part of the API and so stay out of the OpenAPI document.
 */
export function installWebApp(fastify: FastifyInstance, dir = path.join(repoRoot(__dirname), 'dist', 'web')): void {
  const files = new WebAppFiles(dir);
  const page = (req: { headers: Record<string, string | string[] | undefined> }, reply: FastifyReply) => {
    const index = files.indexHtml();
    if (!index) {
      reply.status(503).type('text/plain; charset=utf-8').send('The dashboard is not built: run `npm run build`.\n');
      return;
    }
    send(reply, index, 'no-cache', req.headers['if-none-match'] as string | undefined);
  };
  for (const url of WEB_APP_ROUTES) fastify.get(url, page);
  fastify.get<{ Params: { name: string } }>('/assets/:name', (req, reply) => {
    const file = files.asset(req.params.name);
    if (!file) {
      reply.status(404).type('application/json; charset=utf-8').send({ statusCode: 404, error: 'Not Found', message: 'No such asset' });
      return;
    }
    send(reply, file, 'public, max-age=31536000, immutable', req.headers['if-none-match']);
  });
}
