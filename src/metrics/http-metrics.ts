import type { FastifyInstance } from 'fastify';

/** Requests by route template, method and status, counted in Fastify's onResponse hook. */
export class HttpMetrics {
  private readonly counts = new Map<string, number>();

  install(app: FastifyInstance): void {
    app.addHook('onResponse', (req, reply, done) => {
      // The route template (not the URL) keeps the label set small: /api/websites/:id/stats.
      const route = req.routeOptions?.url ?? 'unmatched';
      const key = `${req.method}\u0000${route}\u0000${reply.statusCode}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      done();
    });
  }

  samples(): { method: string; route: string; status: string; count: number }[] {
    return [...this.counts].map(([k, count]) => {
      const [method, route, status] = k.split('\u0000');
      return { method, route, status, count };
    });
  }
}
