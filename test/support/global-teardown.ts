import { adminQuery } from './database';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.FOOTFALL_TEST_SERVER_URL;
  const template = process.env.FOOTFALL_TEST_TEMPLATE;
  if (serverUrl && template) await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
  const pg = (globalThis as { __footfallPg?: { stop(): Promise<void> } }).__footfallPg;
  await pg?.stop();
}
