import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import cluster from 'node:cluster';
import { createApp } from './app.factory';
import { ClusterPrimary } from './cluster/primary';
import { AppConfig, ConfigError, loadConfig } from './config/config';
import { createLogger, errorMessage, PinoNestLogger, startupLogLevel } from './common/logging';
import { EmbeddedPostgresHandle, portFree, startEmbeddedPostgres } from './database/embedded-postgres';
import { runMigrations } from './database/migrator';
import { queryPoolConnections } from './database/database.module';

const logger = new Logger('Footfall');
/** Start-up lines, by a logger of their own: the app's logger (LOG_LEVEL, default warn) would hide them. */
let startupLog = createLogger('info');

/** The last start-up line: where Footfall is, and what a newcomer does next. */
function listeningLine(config: AppConfig): string {
  const workers = config.workers > 1 ? ` (${config.workers} workers)` : '';
  const base = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
  return `Footfall listening on ${base}${workers}. Next: open ${base}/ (the dashboard: sign up there), or the API at ${base}/docs (README: The API by example)`;
}

/** Checked before the database starts, so a taken port costs nothing and says which variable to change. */
async function ensurePortFree(config: AppConfig): Promise<void> {
  if (config.port !== 0 && !(await portFree(config.port, config.host))) throw new Error(`port ${config.port} on ${config.host} is in use: set PORT (or HOST)`);
}

/** The database (embedded when DATABASE_URL is unset), migrated: done once, by the primary of a cluster. */
async function prepareDatabase(config: AppConfig): Promise<{ url: string; embedded: EmbeddedPostgresHandle | null }> {
  let embedded: EmbeddedPostgresHandle | null = null;
  let url = config.databaseUrl;
  if (!url) {
    // Every worker has pools of its own and one listening connection (Invalidations); the rest is
    // room for migrations and an operator's psql.
    const maxConnections = config.workers * (config.databasePoolSize + queryPoolConnections(config) + 1) + 10;
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      portFixed: config.embeddedPgPortFixed,
      persistent: true,
      maxConnections,
      notice: (line) => startupLog.warn({ context: 'Footfall' }, line),
    });
    url = embedded.url;
    const socket = embedded.socketDir ? `Unix socket in ${embedded.socketDir} (Footfall's connection) and ` : '';
    startupLog.info({ context: 'Footfall' }, `embedded Postgres on ${socket}127.0.0.1:${embedded.port}, data in ${config.dataDir}`);
  }
  const applied = await runMigrations(url);
  if (applied.length) startupLog.info({ context: 'Footfall' }, `applied migrations: ${applied.join(', ')}`);
  return { url, embedded };
}

/** Runs until SIGTERM, SIGINT or SIGHUP (its terminal closed), then `stop` (once) and exit 0. */
function onStopSignal(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void stop(signal).then(() => process.exit(0));
  };
  process.once('SIGTERM', () => handler('SIGTERM'));
  process.once('SIGINT', () => handler('SIGINT'));
  process.once('SIGHUP', () => handler('SIGHUP'));
}

/** WORKERS > 1: this process starts the database and the workers, and serves no HTTP itself. */
async function runPrimary(config: AppConfig): Promise<void> {
  await ensurePortFree(config);
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
  startupLog.info({ context: 'Footfall' }, listeningLine(config));
}

/** One process serving HTTP: Footfall alone (WORKERS=1), or a worker of a cluster. */
async function runServer(config: AppConfig): Promise<void> {
  if (!cluster.isWorker) await ensurePortFree(config);
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
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw (err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? new Error(`port ${config.port} on ${config.host} is in use: set PORT (or HOST)`) : err;
  }
  if (!cluster.isWorker) startupLog.info({ context: 'Footfall' }, listeningLine(config));
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
  // Start-up lines are JSON like every other log line (shown at the default level, too).
  startupLog = createLogger(startupLogLevel(config.logLevel), undefined, config.workerSlot);
  Logger.overrideLogger(new PinoNestLogger(startupLog));
  await (config.workers > 1 && cluster.isPrimary ? runPrimary(config) : runServer(config));
}

// Whatever was thrown (a dependency may reject with no Error, or nothing at all), one line.
bootstrap().catch((err: unknown) => {
  console.error(`Footfall failed to start: ${errorMessage(err)}`);
  process.exit(1);
});
