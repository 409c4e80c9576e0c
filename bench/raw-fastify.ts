import Fastify from 'fastify';

/** The ceiling: a bare Fastify route that parses a JSON body and answers 202, nothing else. */
async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 3999);
  const app = Fastify({ logger: false });
  app.post('/raw', async (_req, reply) => reply.code(202).send({ ok: true }));
  await app.listen({ port, host: '127.0.0.1' });
  process.stdout.write('ready\n');
}

void main();
