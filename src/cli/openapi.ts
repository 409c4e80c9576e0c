import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/config';
import { buildOpenApiDocument } from '../openapi';

/** `npm run openapi`: writes openapi.json at the repo root from the code (no database needed). */
async function main(): Promise<void> {
  const config = { ...loadConfig({ NODE_ENV: 'development', JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'error' }), databaseUrl: 'postgres://unused/unused' };
  const app = await createApp(config, { preview: true });
  const file = path.resolve(__dirname, '../../../openapi.json');
  writeFileSync(file, JSON.stringify(buildOpenApiDocument(app), null, 2) + '\n');
  await app.close();
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((err: Error) => {
  console.error(`openapi failed: ${err.stack}`);
  process.exit(1);
});
