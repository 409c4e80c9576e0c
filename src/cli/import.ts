import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { IngestFailure } from '../collect/ingest-error';
import { IngestionService } from '../collect/ingestion.service';
import { WebsiteLookup } from '../collect/website-lookup';
import { errorMessage } from '../common/logging';
import { ConfigError, loadConfig } from '../config/config';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { runMigrations } from '../database/migrator';
import { IMPORT_USAGE, parseImportArgs } from '../import/args';
import { Importer, ImportSetupError, UnknownWebsiteError } from '../import/importer';
import { formatSummary, ProgressBar } from '../import/progress';

/**
 * `npm run import -- --website <id> --file events.ndjson`: bulk import of native events, with the
 * database set up as `npm start` does (DATABASE_URL, or the embedded Postgres in DATA_DIR).
 * Exit codes: 0 done, 1 bad lines in abort mode or a failure, 2 bad usage or unknown website, 130 interrupted.
 */
async function main(): Promise<number> {
  let args;
  try {
    args = parseImportArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${IMPORT_USAGE}`);
    return 2;
  }
  if (!existsSync(args.file)) {
    console.error(`file not found: ${args.file}`);
    return 2;
  }
  const config = loadConfig();
  // Beside a running `npm start`, its Postgres (found through the data folder) is used as it is.
  const embedded = config.databaseUrl
    ? null
    : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, portFixed: config.embeddedPgPortFixed, persistent: true, attach: true });
  const databaseUrl = config.databaseUrl ?? embedded!.url;
  try {
    await runMigrations(databaseUrl);
    const app = await NestFactory.createApplicationContext(AppModule.forRoot({ ...config, databaseUrl }), { logger: false });
    const controller = new AbortController();
    const onSignal = () => {
      process.stderr.write('\ninterrupted: finishing the batches in flight and writing the checkpoint\n');
      controller.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const importer = new Importer({ websites: app.get(WebsiteLookup), ingestion: app.get(IngestionService) });
      const result = await importer.run({
        websiteId: args.websiteId,
        file: args.file,
        format: args.format,
        onError: args.onError,
        resume: args.resume,
        batchSize: args.batchSize,
        progress: new ProgressBar(process.stderr),
        signal: controller.signal,
      });
      process.stderr.write(formatSummary(result));
      if (result.status === 'interrupted') process.stderr.write(`checkpoint: ${result.checkpointFile} (continue with --resume)\n`);
      return result.status === 'completed' ? 0 : result.status === 'interrupted' ? 130 : 1;
    } catch (err) {
      if (err instanceof UnknownWebsiteError) {
        console.error(`${err.message} (create it first: POST /api/websites)`);
        return 2;
      }
      if (err instanceof ImportSetupError) {
        console.error(err.message);
        return 2;
      }
      if (err instanceof IngestFailure && err.error.code === 'quota_exceeded') {
        console.error(`\nimport stopped: ${err.message}; the checkpoint keeps what was stored (continue with --resume once the quota allows)`);
        return 1;
      }
      throw err;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await app.close();
    }
  } finally {
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `import failed: ${errorMessage(err)}`);
    process.exit(1);
  },
);
