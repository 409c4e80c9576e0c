import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import { LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { AppConfig } from './config/config';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { serveOpenApi } from './openapi';
import { installBodyParsers } from './collect/ingest-body';
import { corsDelegator, WebsiteDomains } from './collect/collect-cors';
import { installCollectRateLimit } from './collect/collect-rate-limit';
import { RateLimiter } from './common/rate-limit/rate-limiter';
import { HttpMetrics } from './metrics/http-metrics';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export function nestLogLevels(level: string): LogLevel[] {
  const named = level === 'info' ? 'log' : level;
  const i = LEVELS.indexOf(named as LogLevel);
  return LEVELS.slice(0, i < 0 ? 3 : i + 1);
}

export function createAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // Keep-alive connections from load balancers must outlive their idle timeout.
    keepAliveTimeout: 65_000,
  });
}

/** Builds the configured application (not yet listening). Used by main and by the e2e tests. */
export async function createApp(config: AppConfig, opts: { preview?: boolean } = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createAdapter(config), {
    logger: nestLogLevels(config.logLevel),
    preview: opts.preview,
    abortOnError: false,
    // Footfall installs its own body parsers (installBodyParsers) for the ingestion dialects.
    bodyParser: false,
  });
  installBodyParsers(app.getHttpAdapter().getInstance());
  await app.register(helmet, {
    // JSON responses gain nothing from a Content-Security-Policy, and building it costs on every
    // request; the only HTML page (Swagger UI at /docs) needs inline scripts anyway.
    contentSecurityPolicy: false,
    // Tracker script and collect endpoints are fetched cross-origin by the sites being measured.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  // In preview mode (OpenAPI generation) providers are not instantiated: no database behind CORS.
  if (!opts.preview) {
    await app.register(cors, { delegator: corsDelegator(config, app.get(WebsiteDomains)) });
    installCollectRateLimit(app.getHttpAdapter().getInstance(), app.get(RateLimiter), config);
    app.get(HttpMetrics).install(app.getHttpAdapter().getInstance());
  }
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, transform: true, stopAtFirstError: false }));
  app.useGlobalFilters(new HttpExceptionFilter());
  serveOpenApi(app);
  return app;
}
