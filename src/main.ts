import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './database/embedded-postgres';
import { runMigrations } from './database/migrator';

async function bootstrap(): Promise<void> {
  const logger = new Logger('Footfall');
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }

  let embedded: EmbeddedPostgresHandle | null = null;
  if (!config.databaseUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, persistent: true });
    config = { ...config, databaseUrl: embedded.url };
    logger.log(`embedded Postgres on 127.0.0.1:${config.embeddedPgPort}, data in ${config.dataDir}`);
  }
  const applied = await runMigrations(config.databaseUrl!);
  if (applied.length) logger.log(`applied migrations: ${applied.join(', ')}`);

  const app = await createApp(config);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: draining requests and flushing events`);
    // Connections busy when closing starts turn into idle keep-alive ones once answered; close
    // those as they appear instead of waiting for the keep-alive timeout.
    const server = app.getHttpServer() as import('node:http').Server;
    const sweeper = setInterval(() => server.closeIdleConnections(), 100);
    await app.close().catch((err: Error) => logger.error(err.message));
    clearInterval(sweeper);
    await embedded?.stop().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  console.log(`Footfall listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port} (API docs at /docs)`);
}

bootstrap().catch((err: Error) => {
  console.error(`Footfall failed to start: ${err.message}`);
  process.exit(1);
});
