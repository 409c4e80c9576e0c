import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { ingestRouteOf } from '../collect/ingest-route';
import { answersErrorString, errorStringBody } from './error-format';

/** Deeper JSON is refused before validation walks it (class-transformer recurses per level). */
export const MAX_JSON_DEPTH = 64;

// NUL cannot be stored in Postgres text; a lone surrogate is not Unicode (encodeURI throws on it).
const NUL = /\u0000/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when a parsed JSON value has objects or arrays nested deeper than maxDepth (iterative). */
export function jsonDepthExceeds(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Why a decoded value (query, path parameters or JSON body) is unacceptable anywhere, or null.
 * Iterative, so a hostile depth cannot overflow the stack here either.
 */
export function unsafeInput(value: unknown, what: string, maxDepth = MAX_JSON_DEPTH): string | null {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      const problem = unsafeText(v);
      if (problem) return `${what} ${problem}`;
    } else if (v !== null && typeof v === 'object') {
      if (depth >= maxDepth) return `${what} is nested more than ${maxDepth} levels deep`;
      for (const [k, child] of Object.entries(v)) {
        const problem = unsafeText(k);
        if (problem) return `${what} ${problem}`;
        stack.push([child, depth + 1]);
      }
    }
  }
  return null;
}

function unsafeText(s: string): string | null {
  if (NUL.test(s)) return 'must not contain NUL (\\u0000) characters';
  if (LONE_SURROGATE.test(s)) return 'must not contain unpaired UTF-16 surrogates';
  return null;
}

/**
 * Checks the path parameters, query and parsed body of every management and query route before
 * any handler, pipe or SQL sees them, answering 400 in their error format. Ingestion routes check
 * their own input and answer in their dialect.
 */
export function installInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (ingestRouteOf(req)) return done();
    const problem = unsafeInput(req.params, 'A path parameter') ?? unsafeInput(req.query, 'A query parameter') ?? unsafeInput(req.body, 'The request body');
    if (!problem) return done();
    // A route that answers {"error": ...} gets that shape here too.
    reply.status(400).send(answersErrorString(req) ? errorStringBody(problem) : { statusCode: 400, error: 'Bad Request', message: problem });
  });
}
