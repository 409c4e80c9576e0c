import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Account, bearer, createApiKey, createWebsite, signup, startTestApp, TestApp } from './support/test-app';

/**
 * Every route of the published OpenAPI document that takes a resource id is called by another
 * tenant (with their access token and with their API key) on the first tenant's resources:
 * the answer is 403 or 404 (or 401 where that credential kind is not accepted), never the resource.
 */
describe('tenancy matrix', () => {
  let t: TestApp;
  let owner: Account;
  let stranger: Account;
  const ids: Record<string, string> = {};
  let strangerKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t, 'owner');
    stranger = await signup(t, 'stranger');
    ids.website = (await createWebsite(t, owner)).id;
    ids.goal = (await t.http().post(`/api/websites/${ids.website}/goals`).set(bearer(owner.token)).send({ goal_type: 'event', event_name: 'Signup' }).expect(201)).body.id;
    ids.apiKey = (await createApiKey(t, owner)).id;
    ids.sharedLink = (await t.http().post(`/api/websites/${ids.website}/shared-links`).set(bearer(owner.token)).send({}).expect(201)).body.id;
    ids.organization = owner.organizationId;
    ids.user = owner.userId;
    await createWebsite(t, stranger);
    strangerKey = (await createApiKey(t, stranger, { scopes: ['ingest', 'read'] })).key;
  });
  afterAll(() => t.close());

  const doc = JSON.parse(readFileSync(path.join(__dirname, '..', 'openapi.json'), 'utf8'));

  function fill(route: string): string {
    const resource = route.startsWith('/api/organizations') ? ids.organization : route.includes('api-keys') ? ids.apiKey : ids.website;
    return route
      .replace(/\{(id|website_id)\}/g, resource)
      .replace('{userId}', ids.user)
      .replace('{goal_id}', ids.goal)
      .replace('{link_id}', ids.sharedLink)
      .replace('{dimension}', 'page')
      .replace('{visitor_id}', 'some-visitor');
  }

  // Valid bodies, so that validation cannot answer before the tenancy check does.
  const bodies: Record<string, object> = {
    '/api/organizations/{id}/members': { email: 'someone@example.com', role: 'viewer' },
    '/api/websites/{id}': { name: 'taken over' },
    '/api/websites/{id}/goals': { goal_type: 'event', event_name: 'Taken over' },
    '/api/websites/{id}/shields': { ip_addresses: ['0.0.0.0/0'], countries: [], paths: [], allowed_hostnames: [] },
    '/api/websites/{id}/funnels/query': { steps: [{ type: 'page', value: '/' }, { type: 'page', value: '/b' }] },
    '/api/v1/websites/{website_id}/track': { name: 'x' },
    '/api/v1/websites/{website_id}/track/batch': { events: [{ name: 'x' }] },
  };

  const routes: [string, string][] = [];
  for (const [route, item] of Object.entries<object>(doc.paths)) {
    if (!route.includes('{')) continue;
    for (const method of Object.keys(item)) routes.push([method, route]);
  }
  // Deletes last, so every other route still has its resources.
  routes.sort(([a], [b]) => Number(a === 'delete') - Number(b === 'delete'));

  it('covers the resource routes', () => {
    expect(routes.length).toBeGreaterThanOrEqual(6);
  });

  it.each(routes)('%s %s is 403/404 for another tenant', async (method, route) => {
    const url = fill(route);
    const statuses: number[] = [];
    for (const token of [stranger.token, strangerKey]) {
      const req = (t.http() as unknown as Record<string, (u: string) => import('supertest').Test>)[method](url).set(bearer(token));
      const res = await (bodies[route] ? req.send(bodies[route]) : req);
      statuses.push(res.status);
      expect([401, 403, 404]).toContain(res.status);
      for (const id of Object.values(ids)) expect(JSON.stringify(res.body)).not.toContain(id);
    }
    expect(statuses.some((s) => s === 403 || s === 404)).toBe(true);
  });

  it('left the first tenant\'s resources in place', async () => {
    await t.http().get(`/api/websites/${ids.website}`).set(bearer(owner.token)).expect(200);
    const goals = await t.http().get(`/api/websites/${ids.website}/goals`).set(bearer(owner.token)).expect(200);
    expect(goals.body.data.map((g: { id: string; display_name: string }) => [g.id, g.display_name])).toEqual([[ids.goal, 'Signup']]);
    const keys = await t.http().get('/api/api-keys').set(bearer(owner.token)).expect(200);
    expect(keys.body.data.map((k: { id: string }) => k.id)).toContain(ids.apiKey);
    const links = await t.http().get(`/api/websites/${ids.website}/shared-links`).set(bearer(owner.token)).expect(200);
    expect(links.body.data.map((l: { id: string }) => l.id)).toEqual([ids.sharedLink]);
  });
});
