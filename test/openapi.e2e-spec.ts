import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildOpenApiDocument } from '../src/openapi';
import { startTestApp, TestApp } from './support/test-app';

describe('OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const committed = () => JSON.parse(readFileSync(path.join(__dirname, '..', 'openapi.json'), 'utf8'));

  it('openapi.json at the repo root matches the code (run `npm run openapi` after changing a route or DTO)', () => {
    expect(JSON.parse(JSON.stringify(buildOpenApiDocument(t.app)))).toEqual(committed());
  });

  it('is served at /openapi.json, with Swagger UI at /docs', async () => {
    const res = await t.http().get('/openapi.json').expect(200);
    expect(res.body).toEqual(committed());
    const ui = await t.http().get('/docs').redirects(1).expect(200);
    expect(ui.text).toMatch(/swagger/i);
  });

  it('is OpenAPI 3 with a title, a version, responses on every operation and only internal references', () => {
    const doc = committed();
    expect(doc.openapi).toMatch(/^3\.[01]/);
    expect(doc.info.title).toBe('Footfall');
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/);
    for (const [p, item] of Object.entries<Record<string, { responses?: object }>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect([`${method} ${p}`, Object.keys(op.responses ?? {}).length > 0]).toEqual([`${method} ${p}`, true]);
      }
    }
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]*"/g) ?? [];
    for (const ref of refs) expect(ref).toMatch(/"\$ref":"#\//);
    for (const ref of refs) {
      const name = ref.slice(ref.lastIndexOf('/') + 1, -1);
      expect(doc.components.schemas[name]).toBeDefined();
    }
  });
});
