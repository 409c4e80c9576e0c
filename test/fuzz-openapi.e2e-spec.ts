import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Account, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';
// One seeded PRNG for tests and benchmarks: the sampled cases are the same on every run.
import { prng } from '../bench/query-traffic';

/**
 * Walks every operation of the committed openapi.json and sends malformed input generated from its
 * schemas (wrong types, nulls, missing and extra fields, NUL bytes, lone surrogates, huge strings,
 * 10,000-deep values, bad path parameters, query strings and headers), without credentials, with
 * an owner's token and with an API key. No input may answer 5xx or hang. Generation is seeded, and
 * the cases per operation bounded, so every run sends the same requests in a few minutes at most.
 */

type Schema = Record<string, any>;
interface Operation { method: string; path: string; op: Schema }
interface Case { name: string; path: Record<string, string>; query: string; headers: Record<string, string>; body?: string }
type Auth = 'none' | 'owner' | 'key';

const doc = JSON.parse(readFileSync(path.join(__dirname, '..', 'openapi.json'), 'utf8'));
const SEED = 20261204;
const MAX_CASES_PER_AUTH = 400;
const HANG_MS = 5000;
const DEEP = 10_000;
const HUGE = 100_000;
const DEEP_MARK = '__deep_value__';

function resolve(s: Schema | undefined): Schema {
  let out = s ?? {};
  while (out.$ref) out = out.$ref.split('/').slice(1).reduce((o: any, k: string) => o[k], doc);
  return out;
}

/** A plausible valid value for a schema, so a single mutation reaches validation past the rest. */
function sample(raw: Schema | undefined, depth = 0): unknown {
  const s = resolve(raw);
  if (depth > 6) return null;
  if (s.oneOf || s.anyOf) return sample((s.oneOf ?? s.anyOf)[0], depth + 1);
  if (s.enum) return s.enum[0];
  if (s.example !== undefined && typeof s.example !== 'object') return s.example;
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      if (s.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (s.format === 'date-time') return '2030-01-01T00:00:00Z';
      if (s.format === 'email') return 'fuzz@example.com';
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sample(s.items, depth + 1));
    default: {
      if (!s.properties) return {};
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties)) out[k] = sample(v as Schema, depth + 1);
      return out;
    }
  }
}

const BAD_VALUES: Array<[string, unknown]> = [
  ['null', null],
  ['number', 12345.5],
  ['negative', -1],
  ['boolean', false],
  ['empty array', []],
  ['object', { a: 1 }],
  ['empty string', ''],
  ['NUL', 'a\u0000b'],
  ['lone high surrogate', 'a\ud800b'],
  ['lone low surrogate', '\udfffz@example.com'],
  ['huge string', 'x'.repeat(HUGE)],
  ['deep value', DEEP_MARK],
  ['array of NUL', ['\u0000']],
  ['far date', '9999-12-31T23:59:59Z'],
];

/** JSON text; DEEP_MARK strings become values nested 10,000 levels deep (built as text). */
function toJson(v: unknown): string {
  return JSON.stringify(v).split(JSON.stringify(DEEP_MARK)).join('['.repeat(DEEP) + '{"a":1}' + ']'.repeat(DEEP));
}

function setAt(root: unknown, keys: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(root) as any;
  let o = copy;
  for (const k of keys.slice(0, -1)) o = o[k];
  if (value === undefined) delete o[keys[keys.length - 1]];
  else o[keys[keys.length - 1]] = value;
  return copy;
}

/** Property paths of a sampled value, one level into arrays, a few levels deep. */
function fieldPaths(v: unknown, prefix: Array<string | number> = [], depth = 0): Array<Array<string | number>> {
  if (depth > 3 || v === null || typeof v !== 'object') return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(v) ? (v.length ? [[0, v[0]]] : []) : Object.entries(v);
  return entries.flatMap(([k, child]) => [[...prefix, k], ...fieldPaths(child, [...prefix, k], depth + 1)]);
}

function bodyCases(op: Schema): Array<{ name: string; body: string; contentType?: string }> {
  const schema = op.requestBody?.content?.['application/json']?.schema;
  if (!schema) return [{ name: 'unexpected JSON body', body: toJson({ a: DEEP_MARK, b: '\u0000' }) }];
  const valid = sample(schema);
  const cases: Array<{ name: string; body: string; contentType?: string }> = [
    { name: 'valid body', body: toJson(valid) },
    { name: 'body null', body: 'null' },
    { name: 'body array', body: toJson([valid]) },
    { name: 'body string', body: '"\\u0000"' },
    { name: 'body number', body: '1e400' },
    { name: 'body deep', body: toJson(DEEP_MARK) },
    { name: 'body not JSON', body: '{"a":' },
    { name: 'body empty', body: '' },
    { name: 'body escaped lone surrogate', body: '{"email":"\\ud800@example.com","name":"\\udc00"}' },
    { name: 'body __proto__', body: '{"__proto__":{"x":1},"constructor":{"prototype":{"y":1}}}' },
    { name: 'body as form', body: 'a=1&b=%00', contentType: 'application/x-www-form-urlencoded' },
    { name: 'body as text', body: toJson(valid), contentType: 'text/plain' },
    { name: 'body as utf-16', body: toJson(valid), contentType: 'application/json; charset=utf-16' },
    { name: 'extra field', body: toJson({ ...(valid as object), extra_field: DEEP_MARK }) },
  ];
  for (const p of fieldPaths(valid)) {
    cases.push({ name: `missing ${p.join('.')}`, body: toJson(setAt(valid, p, undefined)) });
    for (const [name, bad] of BAD_VALUES) cases.push({ name: `${p.join('.')}: ${name}`, body: toJson(setAt(valid, p, bad)) });
  }
  return cases;
}

// Query strings are written already encoded: %00 and %ED%A0%80 (an encoded lone surrogate) as-is.
const BAD_QUERY_VALUES = ['%00', 'a%00b', '%ED%A0%80', '%FF', '%', 'x'.repeat(HUGE / 10), '9999-12-31', '0000-01-01', '0001-01-02', '-1', '1e400', 'NaN', '%E2%80%AE'];

function queryCases(op: Schema): Array<{ name: string; query: string }> {
  const params = (op.parameters ?? []).map(resolve).filter((p: Schema) => p.in === 'query');
  const cases: Array<{ name: string; query: string }> = [
    { name: 'unknown query parameter', query: 'zzz=%00' },
    { name: 'deep query keys', query: 'a' + '[a]'.repeat(200) + '=1' },
  ];
  for (const p of params) {
    if (p.style === 'deepObject') {
      for (const key of ['page', 'prop:%00', 'prop:', '%00', 'page][', 'country']) {
        for (const v of ['%00', 'contains:%00', 'is_not:', 'x'.repeat(HUGE / 10), '%ED%A0%80']) cases.push({ name: `${p.name}[${key}]=${v.slice(0, 20)}`, query: `${p.name}[${key}]=${v}` });
      }
      cases.push({ name: `${p.name} nested`, query: `${p.name}[page][a][b]=1` });
      cases.push({ name: `${p.name} as string`, query: `${p.name}=1` });
      continue;
    }
    for (const v of BAD_QUERY_VALUES) cases.push({ name: `${p.name}=${v.slice(0, 20)}`, query: `${p.name}=${v}` });
    cases.push({ name: `${p.name} repeated`, query: `${p.name}=1&${p.name}=2` });
    cases.push({ name: `${p.name} as object`, query: `${p.name}[a]=1` });
  }
  return cases;
}

const BAD_PATH_VALUES = ['%00', 'a%00', '%ED%A0%80', '%FF', 'x'.repeat(5000), '%2E%2E%2F%2E%2E', '%20', '00000000-0000-0000-0000-000000000000', '-1', 'prop%3A%00', '%25'];

const HEADER_CASES: Array<[string, Record<string, string>]> = [
  ['huge bearer', { Authorization: `Bearer ${'x'.repeat(8000)}` }],
  ['malformed JWT', { Authorization: 'Bearer a.b.c' }],
  ['alg none JWT', { Authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.' }],
  ['basic auth', { Authorization: 'Basic Zm9vOmJhcg==' }],
  ['empty bearer', { Authorization: 'Bearer ' }],
  ['unknown API key', { Authorization: `Bearer ff_live_${'A'.repeat(48)}` }],
  ['huge idempotency key', { 'Idempotency-Key': 'k'.repeat(8000) }],
  ['odd idempotency key', { 'Idempotency-Key': '\u00ff\u00fe' }],
  ['huge request id', { 'X-Request-Id': 'r'.repeat(8000) }],
  ['huge If-None-Match', { 'If-None-Match': '"'.repeat(4000) }],
  ['gzip content-encoding', { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }],
  ['forwarded garbage', { 'X-Forwarded-For': '%00, ::ffff:999.1.1.1, [::1' }],
];

describe('every operation of openapi.json survives malformed input', () => {
  let t: TestApp;
  let owner: Account;
  let key: string;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t, 'owner');
    ids.website = (await createWebsite(t, owner)).id;
    ids.spareWebsite = (await createWebsite(t, owner)).id;
    key = (await createApiKey(t, owner, { scopes: ['ingest', 'read'] })).key;
    ids.spareKey = (await createApiKey(t, owner)).id;
    // Without a build (a fresh clone), the tracker script is compiled on its first request: a cost
    // of the checkout, not of any input, so it is paid here rather than timed as a hang.
    expect((await t.http().get('/script.js')).status).toBe(200);
  }, 60_000);
  afterAll(() => t.close());

  /** Valid path parameters, so the mutations of the query and body reach validation past lookup. */
  function validParams(p: string, method: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [, name] of p.matchAll(/\{(\w+)\}/g)) {
      if (p.startsWith('/api/organizations')) out[name] = name === 'userId' ? owner.userId : owner.organizationId;
      else if (p.startsWith('/api/api-keys')) out[name] = ids.spareKey;
      else if (name === 'dimension') out[name] = 'page';
      else if (name === 'visitor_id') out[name] = 'visitor-1';
      // Deleting the website under test would turn every later case into a 404.
      else out[name] = method === 'delete' && p === '/api/websites/{id}' ? ids.spareWebsite : ids.website;
    }
    return out;
  }

  function casesFor({ method, path: p, op }: Operation, seed: number): Case[] {
    const base = validParams(p, method);
    const valid = bodyCases(op)[0];
    const withBody = (c: Omit<Case, 'body'>): Case => (op.requestBody ? { ...c, body: valid.body } : c);
    const all: Case[] = [];
    for (const b of bodyCases(op)) all.push({ name: b.name, path: base, query: '', headers: b.contentType ? { 'Content-Type': b.contentType } : {}, body: b.body });
    for (const q of queryCases(op)) all.push(withBody({ name: q.name, path: base, query: q.query, headers: {} }));
    for (const name of Object.keys(base)) {
      for (const v of BAD_PATH_VALUES) all.push(withBody({ name: `path ${name}=${v.slice(0, 20)}`, path: { ...base, [name]: v }, query: '', headers: {} }));
    }
    for (const [name, headers] of HEADER_CASES) all.push(withBody({ name, path: base, query: '', headers }));
    // A seeded shuffle picks the bounded sample; the valid case always runs first.
    const rand = prng(seed);
    const rest = all.slice(1);
    for (let i = rest.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [rest[i], rest[j]] = [rest[j], rest[i]];
    }
    return [all[0], ...rest.slice(0, MAX_CASES_PER_AUTH - 1)];
  }

  async function send(o: Operation, c: Case, auth: Auth): Promise<{ status: number; body: any } | { hang: true } | { error: string }> {
    const url = o.path.replace(/\{(\w+)\}/g, (_, n) => c.path[n] ?? 'x') + (c.query ? `?${c.query}` : '');
    let req = (t.http() as any)[o.method](url).timeout({ response: HANG_MS, deadline: HANG_MS * 2 });
    if (auth !== 'none') req = req.set('Authorization', `Bearer ${auth === 'owner' ? owner.token : key}`);
    if (c.body !== undefined) req = req.set('Content-Type', 'application/json');
    for (const [k, v] of Object.entries(c.headers)) req = req.set(k, v);
    try {
      const res = await (c.body !== undefined ? req.send(c.body) : req);
      return { status: res.status, body: res.body };
    } catch (err) {
      const e = err as { timeout?: number; code?: string; response?: { status: number; body: unknown }; message: string };
      if (e.response) return { status: e.response.status, body: e.response.body };
      if (e.timeout || e.code === 'ECONNABORTED') return { hang: true };
      return { error: e.message };
    }
  }

  const operations: Operation[] = Object.entries(doc.paths as Record<string, Schema>).flatMap(([p, ops]) =>
    Object.entries(ops)
      .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map(([method, op]) => ({ method, path: p, op })),
  );

  it('covers the whole document', () => {
    expect(operations.length).toBeGreaterThan(30);
  });

  it.each(operations.map((o, i) => [`${o.method.toUpperCase()} ${o.path}`, o, i] as const))('%s', async (_, o, index) => {
    // Ingestion routes answer in their dialect's own error format; the others in Footfall's.
    const dialect = (o.op.tags ?? []).some((tag: string) => tag.startsWith('ingest'));
    // Query dialects (Plausible's Stats API v2) document their own {"error": "..."} answers.
    const errorOnly = !dialect && (o.op.responses?.['400']?.content?.['application/json']?.schema?.required ?? []).includes('error');
    const failures: string[] = [];
    for (const [a, auth] of (['none', 'owner', 'key'] as const).entries()) {
      // Each credential gets its own sample, so the three together cover more of the cases.
      for (const c of casesFor(o, SEED + index * 3 + a)) {
        const r = await send(o, c, auth);
        const where = `[${auth}] ${c.name}`;
        if ('hang' in r) failures.push(`${where}: no answer within ${HANG_MS} ms`);
        else if ('error' in r) failures.push(`${where}: ${r.error}`);
        else if (r.status >= 500) failures.push(`${where}: ${r.status} ${JSON.stringify(r.body).slice(0, 160)}`);
        else if (errorOnly && r.status >= 400 && typeof r.body?.error !== 'string') failures.push(`${where}: ${r.status} not in the {error} format: ${JSON.stringify(r.body).slice(0, 160)}`);
        else if (!dialect && !errorOnly && r.status >= 400 && !(r.body?.statusCode === r.status && r.body.message !== undefined)) {
          failures.push(`${where}: ${r.status} not in the {statusCode, error, message} format: ${JSON.stringify(r.body).slice(0, 160)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 180_000);
});
