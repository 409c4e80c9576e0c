import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { signup, startTestApp, TestApp } from './support/test-app';

/**
 * openapi.json as integrators use it: Redocly's recommended rules find nothing in it, and a client
 * generated from it (openapi-typescript types, openapi-fetch calls) compiles the program in
 * test/openapi-client/, refuses what the document forbids, and works against Footfall.
 * Offline: no request leaves the machine.
 */

const ROOT = path.join(__dirname, '..');
const DOCUMENT = path.join(ROOT, 'openapi.json');
const PROGRAM = path.join(__dirname, 'openapi-client', 'integrator.ts');

type Schema = Record<string, any>;
const doc: Schema = JSON.parse(readFileSync(DOCUMENT, 'utf8'));

function resolve(s: Schema): Schema {
  return s.$ref ? resolve(doc.components.schemas[s.$ref.split('/').pop()]) : s;
}

const operations = Object.entries<Schema>(doc.paths).flatMap(([p, item]) => Object.entries<Schema>(item).map(([method, op]) => ({ name: `${method.toUpperCase()} ${p}`, method, op })));
const bodySchemas = operations.flatMap(({ name, method, op }) => {
  const schema = op.requestBody?.content?.['application/json']?.schema;
  return schema ? [{ name, method, shared: '$ref' in schema, schema: resolve(schema) }] : [];
});

/** Type-checks `file` as a browser program would be, with `generated` files that exist in memory only. */
function typeErrors(file: string, generated: Record<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    // As the project's own tsconfig: declaration files are used, not checked (and checking lib.dom takes seconds).
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => f in generated || fileExists.call(host, f);
  host.readFile = (f) => generated[f] ?? readFile.call(host, f);
  host.getSourceFile = (f, language, ...rest) => (f in generated ? ts.createSourceFile(f, generated[f], language) : getSourceFile.call(host, f, language, ...rest));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${path.relative(ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

describe('openapi.json for generated clients', () => {
  it("passes Redocly's recommended rules with no error and no warning", () => {
    const cli = path.join(path.dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
    const run = spawnSync(process.execPath, [cli, 'lint', DOCUMENT, '--extends=recommended', '--format=json'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true' },
    });
    const report = JSON.parse(run.stdout || '{"problems":[{"message":"no report"}]}') as { problems: Array<{ severity: string; ruleId: string; message: string; location: Array<{ pointer: string }> }> };
    expect(report.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location?.[0]?.pointer}: ${p.message}`)).toEqual([]);
    expect(run.status).toBe(0);
  }, 60_000);

  it('asks nothing of a request that the server does not: PATCH bodies need no field, shared request schemas state no default', () => {
    // openapi-typescript reads a `default` in components.schemas as "always present" and makes the
    // field required; it spares schemas written inline in a request body.
    const shared = bodySchemas.filter((b) => b.shared);
    const defaults = shared.flatMap(({ name, schema }) => Object.entries<Schema>(schema.properties ?? {}).filter(([, s]) => 'default' in resolve(s)).map(([field]) => `${name} ${field}`));
    expect(defaults).toEqual([]);
    expect(bodySchemas.filter(({ method, schema }) => method === 'patch' && schema.required?.length).map(({ name }) => name)).toEqual([]);
  });

  it('generates types that compile a typed client program and refuse what the document forbids', async () => {
    const types = astToString(await openapiTS(doc as Parameters<typeof openapiTS>[0], { silent: true }));
    expect(typeErrors(PROGRAM, { [path.join(path.dirname(PROGRAM), 'schema.d.ts')]: types })).toEqual([]);
  }, 60_000);

  describe('the client program against Footfall', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
      await t.app.listen(0, '127.0.0.1');
    });
    afterAll(() => t.close());

    it('creates a website and a key, and reads a breakdown with repeated filters and the stats', async () => {
      const owner = await signup(t, 'integrator');
      // Type-checked above; ts-jest compiles it here like any test file (the type import is erased).
      const { integrator } = require(PROGRAM) as { integrator: (baseUrl: string, token: string) => Promise<Record<string, unknown>> };
      expect(await integrator(await t.app.getUrl(), owner.token)).toEqual({
        publicCollect: false,
        timezone: 'UTC',
        keyExpiresAt: '2030-01-01T00:00:00.000Z',
        keyShown: true,
        pages: [],
        unknownFilter: expect.stringContaining('planet'),
        visitors: 0,
        change: null,
        pageviews: 'number',
      });
    });

    it('answers the 400 documented by the routes that take no input', async () => {
      const documented = operations.filter(({ op }) => Object.keys(op.responses).filter((s) => s.startsWith('4')).join() === '400');
      expect(documented.map((o) => o.name).sort()).toEqual(['GET /health', 'GET /metrics', 'GET /script.js']);
      for (const { name } of documented) {
        const res = await t.http().get(`${name.split(' ')[1]}?q=%00`);
        expect([name, res.status, res.body.statusCode]).toEqual([name, 400, 400]);
      }
    });
  });
});
