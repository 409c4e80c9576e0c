import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import cluster from 'node:cluster';
import { createApp } from './app.factory';
import { ClusterPrimary } from './cluster/primary';
import { AppConfig, ConfigError, loadConfig } from './config/config';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './database/embedded-postgres';
import { runMigrations } from './database/migrator';
import { queryPoolConnections } from './database/database.module';

const logger = new Logger('Footfall');

function listeningLine(config: AppConfig): string {
  const workers = config.workers > 1 ? `, ${config.workers} workers` : '';
  return `Footfall listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port} (API docs at /docs${workers})`;
}

/** The database (embedded when DATABASE_URL is unset), migrated: done once, by the primary of a cluster. */
async function prepareDatabase(config: AppConfig): Promise<{ url: string; embedded: EmbeddedPostgresHandle | null }> {
  let embedded: EmbeddedPostgresHandle | null = null;
  let url = config.databaseUrl;
  if (!url) {
    // Every worker has pools of its own; the rest is room for migrations and an operator's psql.
    const maxConnections = config.workers * (config.databasePoolSize + queryPoolConnections(config)) + 10;
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, persistent: true, maxConnections });
    url = embedded.url;
    logger.log(`embedded Postgres on 127.0.0.1:${config.embeddedPgPort}, data in ${config.dataDir}`);
  }
  const applied = await runMigrations(url);
  if (applied.length) logger.log(`applied migrations: ${applied.join(', ')}`);
  return { url, embedded };
}

/** Runs until SIGTERM or SIGINT, then `stop` (once) and exit 0. */
function onStopSignal(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void stop(signal).then(() => process.exit(0));
  };
  process.once('SIGTERM', () => handler('SIGTERM'));
  process.once('SIGINT', () => handler('SIGINT'));
}

/** WORKERS > 1: this process starts the database and the workers, and serves no HTTP itself. */
async function runPrimary(config: AppConfig): Promise<void> {
  const { url, embedded } = await prepareDatabase(config);
  const primary = new ClusterPrimary(config.workers, { DATABASE_URL: url });
  onStopSignal(async (signal) => {
    logger.log(`${signal}: stopping the workers (each drains its requests and flushes its events)`);
    await primary.stop();
    await embedded?.stop().catch(() => undefined);
  });
  try {
    await primary.start();
  } catch (err) {
    await primary.stop();
    await embedded?.stop().catch(() => undefined);
    throw err;
  }
  console.log(listeningLine(config));
}

/** One process serving HTTP: Footfall alone (WORKERS=1), or a worker of a cluster. */
async function runServer(config: AppConfig): Promise<void> {
  // A worker is given the primary's migrated database.
  const { url, embedded } = cluster.isWorker ? { url: config.databaseUrl!, embedded: null } : await prepareDatabase(config);
  const app = await createApp({ ...config, databaseUrl: url });
  onStopSignal(async (signal) => {
    logger.log(`${signal}: draining requests and flushing events`);
    // Connections busy when closing starts turn into idle keep-alive ones once answered; close
    // those as they appear instead of waiting for the keep-alive timeout.
    const server = app.getHttpServer() as import('node:http').Server;
    const sweeper = setInterval(() => server.closeIdleConnections(), 100);
    await app.close().catch((err: Error) => logger.error(err.message));
    clearInterval(sweeper);
    await embedded?.stop().catch(() => undefined);
  });
  await app.listen({ port: config.port, host: config.host });
  if (!cluster.isWorker) console.log(listeningLine(config));
}

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  await (config.workers > 1 && cluster.isPrimary ? runPrimary(config) : runServer(config));
}

bootstrap().catch((err: Error) => {
  console.error(`Footfall failed to start: ${err.message}`);
  process.exit(1);
});
