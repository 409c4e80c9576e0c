import { ValidationPipe } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DestinationStream, Logger } from 'pino';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import { AppModule } from './app.module';
import { AppConfig } from './config/config';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { createLogger, PinoNestLogger } from './common/logging';
import { serveOpenApi } from './openapi';
import { installBodyParsers } from './collect/ingest-body';
import { installCors, WebsiteDomains } from './collect/collect-cors';
import { installSecurityHeaders } from './common/security-headers';
import { installInputGuard } from './common/input-guard';
import { installCollectRateLimit } from './collect/collect-rate-limit';
import { RateLimiter } from './common/rate-limit/rate-limiter';
import { HttpMetrics } from './metrics/http-metrics';
import { installWebApp } from './web/web-app';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function createAdapter(config: AppConfig, logger: Logger): FastifyAdapter {
  const adapter = new FastifyAdapter({
    // No Nest middleware is used: without middie, requests skip its per-request matching.
    skipMiddie: true,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // Keep-alive connections from load balancers must outlive their idle timeout...
    keepAliveTimeout: 65_000,
    // A client that announces a body and stalls or trickles it is answered 408 and disconnected
    // (Fastify's default, 0, would let it hold the socket forever). Node checks the timeouts
    // every connectionsCheckingInterval, 30 s by default: far coarser than the timeout itself.
    requestTimeout: config.requestTimeoutMs,
    http: {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: Math.min(config.requestTimeoutMs, 10_000),
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(config.requestTimeoutMs / 4))),
    },
    // ...but on shutdown idle ones are closed at once, while busy ones finish their request.
    forceCloseConnections: 'idle',
    loggerInstance: logger,
    // One line per request (below), without the client address Fastify's own lines carry.
    logController: new LogController({ disableRequestLogging: true }),
    // A proxy's X-Request-Id is kept so one request can be followed across services.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const fastify = adapter.getInstance();
  // Callback hooks: an async hook costs a promise per request on every route.
  fastify.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    done(null, payload);
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    if ((req.log as Logger).isLevelEnabled('info')) {
      req.log.info({ method: req.method, route: req.routeOptions?.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    }
    done();
  });
  return adapter;
}

/** Builds the configured application (not yet listening). Used by main and by the e2e tests. */
export async function createApp(config: AppConfig, opts: { preview?: boolean; logDestination?: DestinationStream } = {}): Promise<NestFastifyApplication> {
  const logger = createLogger(config.logLevel, opts.logDestination, config.workerSlot);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createAdapter(config, logger), {
    logger: new PinoNestLogger(logger),
    preview: opts.preview,
    abortOnError: false,
    // Footfall installs its own body parsers (installBodyParsers) for the ingestion dialects.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  installBodyParsers(fastify);
  installSecurityHeaders(fastify);
  installInputGuard(fastify);
  // In preview mode (OpenAPI generation) providers are not instantiated: no database behind CORS.
  if (!opts.preview) {
    installCors(fastify, config, app.get(WebsiteDomains));
    installCollectRateLimit(fastify, app.get(RateLimiter), config);
    app.get(HttpMetrics).install(fastify);
  }
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true, stopAtFirstError: false }));
  app.useGlobalFilters(new HttpExceptionFilter());
  serveOpenApi(app);
  installWebApp(fastify);
  return app;
}
