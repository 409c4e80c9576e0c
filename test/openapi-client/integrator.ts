import createClient from 'openapi-fetch';
// Generated from openapi.json by openapi-typescript when test/openapi-clients.e2e-spec.ts runs.
import type { paths } from './schema';

/**
 * Query strings as Footfall reads them: filter[<dimension>] once per value of the dimension's list.
 * openapi-fetch's own serializer throws on a list inside an object, so a client passes this one.
 */
export function footfallQuery(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, values] of Object.entries(value)) for (const v of [values].flat()) params.append(`${name}[${key}]`, String(v));
    } else {
      for (const v of [value].flat()) params.append(name, String(v));
    }
  }
  return params.toString();
}

/**
 * What an integrator writes with a client generated from openapi.json. The test type-checks it
 * and runs it against Footfall. Each @ts-expect-error marks a call the document must refuse: when
 * the document loosens, the directive goes unused and the program stops compiling.
 */
export async function integrator(baseUrl: string, token: string) {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` }, querySerializer: footfallQuery });

  // A website needs a name and a domain only; its time zone and public collection have defaults.
  const created = await client.POST('/api/websites', { body: { name: 'Blog', domain: 'example.com' } });
  if (!created.data) throw new Error(`website not created: ${created.response.status}`);
  const id: string = created.data.id;
  // @ts-expect-error the domain is required
  await client.POST('/api/websites', { body: { name: 'Blog' } });

  // A PATCH body of one field: the others keep their values.
  const patched = await client.PATCH('/api/websites/{id}', { params: { path: { id } }, body: { public_collect: false } });
  await client.PATCH('/api/websites/{id}', { params: { path: { id } }, body: { retention_days: null } });

  // A key that expires at an ISO 8601 date-time.
  const key = await client.POST('/api/api-keys', {
    body: { name: 'Backend', scopes: ['ingest', 'read'], website_ids: [id], expires_at: '2030-01-01T00:00:00Z' },
  });
  // @ts-expect-error expires_at is a string, not a Date
  await client.POST('/api/api-keys', { body: { name: 'Backend', scopes: ['read'], expires_at: new Date() } });
  // @ts-expect-error a scope is ingest or read
  await client.POST('/api/api-keys', { body: { name: 'Backend', scopes: ['write'] } });

  // Filters repeat: two on page, one on country.
  const pages = await client.GET('/api/websites/{id}/breakdown/{dimension}', {
    params: {
      path: { id, dimension: 'page' },
      query: { start_date: '2026-01-01', end_date: '2026-01-31', limit: 20, filter: { page: ['contains:/blog', 'is_not:/blog/drafts'], country: ['is:DE'] } },
    },
  });
  const unknownFilter = await client.GET('/api/websites/{id}/breakdown/{dimension}', { params: { path: { id, dimension: 'prop:plan' }, query: { filter: { planet: ['mars'] } } } });
  // @ts-expect-error a dimension's filters are a list, even of one
  await client.GET('/api/websites/{id}/stats', { params: { path: { id }, query: { filter: { page: 'contains:/blog' } } } });
  // @ts-expect-error metric is one of pageviews, visitors, sessions, events
  await client.GET('/api/websites/{id}/timeseries', { params: { path: { id }, query: { metric: 'revenue' } } });

  const stats = await client.GET('/api/websites/{id}/stats', { params: { path: { id }, query: { filter: { page: ['/pricing'] } } } });
  if (!stats.data) throw new Error(`no stats: ${stats.response.status}`);
  const change: number | null = stats.data.visitors.change;
  // @ts-expect-error the headline metrics are numbers
  const wrong: string = stats.data.pageviews.value;

  return {
    publicCollect: patched.data?.public_collect,
    timezone: patched.data?.timezone,
    keyExpiresAt: key.data?.expires_at,
    keyShown: typeof key.data?.key === 'string',
    pages: pages.data?.data,
    unknownFilter: unknownFilter.error?.message,
    visitors: stats.data.visitors.value,
    change,
    pageviews: typeof wrong,
  };
}
