import { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface Route {
  method: string;
  /** As registered: `/api/websites/:id/stats`, `/docs/*`. */
  path: string;
}

/**
 * Every route the app's Fastify router holds (Nest's controllers, Swagger's, any plugin's), read
 * from its printed tree: each line is one segment under its parent (4 columns per level), with the
 * node's methods in parentheses when a route ends there. HEAD routes (Fastify's own, one per GET)
 * are left out.
 */
export function registeredRoutes(app: NestFastifyApplication): Route[] {
  const tree: string = app.getHttpAdapter().getInstance().printRoutes();
  const stack: string[] = [];
  const routes: Route[] = [];
  for (const line of tree.split('\n')) {
    const text = line.replace(/^[\s│├└─]*/, '');
    if (!text) continue;
    const depth = (line.length - text.length) / 4;
    const node = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(text)!;
    stack.length = depth;
    stack[depth] = node[1];
    if (!node[2]) continue;
    for (const method of node[2].split(', ')) if (method !== 'HEAD') routes.push({ method, path: stack.join('') });
  }
  return routes;
}
