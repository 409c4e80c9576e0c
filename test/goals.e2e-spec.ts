import { GoalsService } from '../src/goals/goals.service';
import { pagePathPattern } from '../src/analytics/goal-pattern';
import { queryDb } from './support/events-db';
import { Account, bearer, createApiKey, createWebsite, joinOrganization, signup, startTestApp, TestApp } from './support/test-app';

describe('goals', () => {
  let t: TestApp;
  let owner: Account;
  let stranger: Account;
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t, 'owner');
    stranger = await signup(t, 'stranger');
  });
  afterAll(() => t.close());

  const goalsOf = (siteId: string) => `/api/websites/${siteId}/goals`;
  const create = (a: { token: string }, siteId: string, body: object) => t.http().post(goalsOf(siteId)).set(bearer(a.token)).send(body);
  const list = (a: { token: string }, siteId: string) => t.http().get(goalsOf(siteId)).set(bearer(a.token));
  const remove = (a: { token: string }, siteId: string, goalId: string) => t.http().delete(`${goalsOf(siteId)}/${goalId}`).set(bearer(a.token));

  describe('creating', () => {
    it('creates an event goal named after its event by default', async () => {
      const site = await createWebsite(t, owner);
      const res = await create(owner, site.id, { goal_type: 'event', event_name: 'Signup' }).expect(201);
      expect(res.body).toEqual({ id: expect.stringMatching(/^[A-Za-z0-9]{12}$/), goal_type: 'event', event_name: 'Signup', page_path: null, display_name: 'Signup' });
    });

    it('creates a page goal named "Visit <page_path>" by default', async () => {
      const site = await createWebsite(t, owner);
      const res = await create(owner, site.id, { goal_type: 'page', page_path: '/blog/**' }).expect(201);
      expect(res.body).toEqual({ id: expect.stringMatching(/^[A-Za-z0-9]{12}$/), goal_type: 'page', event_name: null, page_path: '/blog/**', display_name: 'Visit /blog/**' });
    });

    it('keeps a given display_name, and trims every field', async () => {
      const site = await createWebsite(t, owner);
      const event = await create(owner, site.id, { goal_type: 'event', event_name: '  Signup ', display_name: ' New account\t' }).expect(201);
      expect(event.body).toMatchObject({ event_name: 'Signup', page_path: null, display_name: 'New account' });
      const page = await create(owner, site.id, { goal_type: 'page', page_path: ' /pricing ' }).expect(201);
      expect(page.body).toMatchObject({ event_name: null, page_path: '/pricing', display_name: 'Visit /pricing' });
    });

    it('reads null in the other type\'s field as absent', async () => {
      const site = await createWebsite(t, owner);
      const res = await create(owner, site.id, { goal_type: 'event', event_name: 'Play', page_path: null, display_name: null }).expect(201);
      expect(res.body).toMatchObject({ goal_type: 'event', event_name: 'Play', page_path: null, display_name: 'Play' });
    });

    it('ignores unknown fields, as every management route does', async () => {
      const site = await createWebsite(t, owner);
      const res = await create(owner, site.id, { goal_type: 'event', event_name: 'Play', id: 'chosen', website_id: 'elsewhere' }).expect(201);
      expect(res.body.id).not.toBe('chosen');
      expect(Object.keys(res.body).sort()).toEqual(['display_name', 'event_name', 'goal_type', 'id', 'page_path']);
    });

    it('gives each goal its own id', async () => {
      const site = await createWebsite(t, owner);
      const a = await create(owner, site.id, { goal_type: 'event', event_name: 'A' }).expect(201);
      const b = await create(owner, site.id, { goal_type: 'event', event_name: 'B' }).expect(201);
      expect(a.body.id).not.toBe(b.body.id);
    });
  });

  describe('listing', () => {
    it('lists the website\'s goals ordered by display_name, and only that website\'s', async () => {
      const site = await createWebsite(t, owner);
      const other = await createWebsite(t, owner);
      const created = [];
      for (const body of [
        { goal_type: 'page', page_path: '/pricing' },
        { goal_type: 'event', event_name: 'Signup' },
        { goal_type: 'event', event_name: 'Download', display_name: 'App download' },
        { goal_type: 'page', page_path: '/docs/*', display_name: 'Docs page' },
      ]) {
        created.push((await create(owner, site.id, body).expect(201)).body);
      }
      await create(owner, other.id, { goal_type: 'event', event_name: 'Elsewhere' }).expect(201);
      const res = await list(owner, site.id).expect(200);
      expect(res.body.data.map((g: { display_name: string }) => g.display_name)).toEqual(['App download', 'Docs page', 'Signup', 'Visit /pricing']);
      expect(res.body.data).toEqual(expect.arrayContaining(created));
      expect(res.body.data).toHaveLength(4);
    });

    it('lists an empty array for a website without goals', async () => {
      const site = await createWebsite(t, owner);
      expect((await list(owner, site.id).expect(200)).body).toEqual({ data: [] });
    });

    it('gives the query engine the same goals through GoalsService.forWebsite', async () => {
      const site = await createWebsite(t, owner);
      await create(owner, site.id, { goal_type: 'event', event_name: 'Zed' }).expect(201);
      await create(owner, site.id, { goal_type: 'page', page_path: '/a/**' }).expect(201);
      const listed = (await list(owner, site.id).expect(200)).body.data;
      expect(await t.app.get(GoalsService).forWebsite(site.id)).toEqual(listed);
    });
  });

  describe('deleting', () => {
    it('deletes a goal (204), after which it is gone and deleting it again is 404', async () => {
      const site = await createWebsite(t, owner);
      const keep = (await create(owner, site.id, { goal_type: 'event', event_name: 'Keep' }).expect(201)).body;
      const drop = (await create(owner, site.id, { goal_type: 'event', event_name: 'Drop' }).expect(201)).body;
      const res = await remove(owner, site.id, drop.id).expect(204);
      expect(res.text).toBe('');
      expect((await list(owner, site.id).expect(200)).body.data).toEqual([keep]);
      const again = await remove(owner, site.id, drop.id).expect(404);
      expect(again.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Goal not found' });
    });

    it('answers 404 for an unknown goal id, or one of another website', async () => {
      const site = await createWebsite(t, owner);
      const other = await createWebsite(t, owner);
      const goal = (await create(owner, other.id, { goal_type: 'event', event_name: 'Theirs' }).expect(201)).body;
      await remove(owner, site.id, goal.id).expect(404);
      await remove(owner, site.id, 'nope').expect(404);
      await remove(owner, site.id, 'x'.repeat(90)).expect(404);
      expect((await list(owner, other.id).expect(200)).body.data).toEqual([goal]);
    });

    it('frees the event name and display name for a new goal', async () => {
      const site = await createWebsite(t, owner);
      const goal = (await create(owner, site.id, { goal_type: 'event', event_name: 'Signup' }).expect(201)).body;
      await remove(owner, site.id, goal.id).expect(204);
      await create(owner, site.id, { goal_type: 'event', event_name: 'Signup' }).expect(201);
    });

    it('deletes a website\'s goals with the website', async () => {
      const site = await createWebsite(t, owner);
      await create(owner, site.id, { goal_type: 'event', event_name: 'Signup' }).expect(201);
      await create(owner, site.id, { goal_type: 'page', page_path: '/x' }).expect(201);
      const count = async () => (await queryDb<{ n: number }>(t.dbUrl, 'SELECT count(*)::int AS n FROM goals WHERE website_id = $1', [site.id]))[0].n;
      expect(await count()).toBe(2);
      await t.http().delete(`/api/websites/${site.id}`).set(bearer(owner.token)).expect(204);
      expect(await count()).toBe(0);
      await list(owner, site.id).expect(404);
    });
  });

  describe('duplicates', () => {
    it('answers 409 for a second goal for the same event, saying so', async () => {
      const site = await createWebsite(t, owner);
      await create(owner, site.id, { goal_type: 'event', event_name: 'Signup' }).expect(201);
      const res = await create(owner, site.id, { goal_type: 'event', event_name: 'Signup', display_name: 'Another name' }).expect(409);
      expect(res.body).toEqual({ statusCode: 409, error: 'Conflict', message: 'An event goal with event_name "Signup" already exists' });
    });

    it('answers 409 for a second goal for the same page path, saying so', async () => {
      const site = await createWebsite(t, owner);
      await create(owner, site.id, { goal_type: 'page', page_path: '/blog/**' }).expect(201);
      const res = await create(owner, site.id, { goal_type: 'page', page_path: '/blog/**', display_name: 'Blog' }).expect(409);
      expect(res.body.message).toBe('A page goal with page_path "/blog/**" already exists');
    });

    it('answers 409 for a display_name already taken, saying so', async () => {
      const site = await createWebsite(t, owner);
      await create(owner, site.id, { goal_type: 'event', event_name: 'Signup' }).expect(201);
      const res = await create(owner, site.id, { goal_type: 'page', page_path: '/signup', display_name: 'Signup' }).expect(409);
      expect(res.body).toEqual({ statusCode: 409, error: 'Conflict', message: 'A goal with display_name "Signup" already exists' });
    });

    it('tells an event and a page of the same text apart, and other websites\' goals apart', async () => {
      const site = await createWebsite(t, owner);
      const other = await createWebsite(t, owner);
      await create(owner, site.id, { goal_type: 'event', event_name: '/signup', display_name: 'Event' }).expect(201);
      await create(owner, site.id, { goal_type: 'page', page_path: '/signup', display_name: 'Page' }).expect(201);
      await create(owner, other.id, { goal_type: 'event', event_name: '/signup', display_name: 'Event' }).expect(201);
    });

    it('stores one of two identical goals created at once, and answers 409 to the other', async () => {
      const site = await createWebsite(t, owner);
      const answers = await Promise.all([1, 2, 3].map(() => create(owner, site.id, { goal_type: 'event', event_name: 'Race' })));
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      expect((await list(owner, site.id).expect(200)).body.data).toHaveLength(1);
    });
  });

  describe('validation', () => {
    const long = (n: number) => 'a'.repeat(n);
    it.each([
      [{}, 'goal_type'],
      [{ goal_type: 'click', event_name: 'x' }, 'goal_type'],
      [{ goal_type: 'event' }, 'event_name'],
      [{ goal_type: 'event', event_name: '' }, 'event_name'],
      [{ goal_type: 'event', event_name: '   ' }, 'event_name'],
      [{ goal_type: 'event', event_name: long(121) }, 'event_name'],
      [{ goal_type: 'event', event_name: 42 }, 'event_name'],
      [{ goal_type: 'event', event_name: null }, 'event_name'],
      [{ goal_type: 'page' }, 'page_path'],
      [{ goal_type: 'page', page_path: '' }, 'page_path'],
      [{ goal_type: 'page', page_path: 'blog/**' }, 'page_path'],
      [{ goal_type: 'page', page_path: 'https://example.com/' }, 'page_path'],
      [{ goal_type: 'page', page_path: '/' + long(2000) }, 'page_path'],
      [{ goal_type: 'page', page_path: ['/a'] }, 'page_path'],
      [{ goal_type: 'event', event_name: 'x', page_path: '/a' }, 'page_path'],
      [{ goal_type: 'page', page_path: '/a', event_name: 'x' }, 'event_name'],
      [{ goal_type: 'event', event_name: 'x', display_name: '' }, 'display_name'],
      [{ goal_type: 'event', event_name: 'x', display_name: '  ' }, 'display_name'],
      [{ goal_type: 'event', event_name: 'x', display_name: long(121) }, 'display_name'],
      [{ goal_type: 'event', event_name: 'x', display_name: 7 }, 'display_name'],
      [{ goal_type: 'page', page_path: '/' + long(114) }, 'display_name'],
      [{ goal_type: 'event', event_name: 'a\u0000b' }, 'NUL'],
    ])('answers 400 for %j, naming %s', async (body, field) => {
      const site = await createWebsite(t, owner);
      const res = await create(owner, site.id, body).expect(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.anything() });
      expect(JSON.stringify(res.body.message)).toContain(field);
      expect((await list(owner, site.id).expect(200)).body.data).toEqual([]);
    });

    it('says which field belongs to the other goal type', async () => {
      const site = await createWebsite(t, owner);
      const res = await create(owner, site.id, { goal_type: 'event', event_name: 'x', page_path: '/a' }).expect(400);
      expect(res.body.message).toEqual(['page_path is only for goal_type "page"']);
    });

    it('accepts the longest values', async () => {
      const site = await createWebsite(t, owner);
      await create(owner, site.id, { goal_type: 'event', event_name: long(120), display_name: long(120) }).expect(201);
      const path = '/' + '€'.repeat(1999);
      const res = await create(owner, site.id, { goal_type: 'page', page_path: path, display_name: 'Long' }).expect(201);
      expect(res.body.page_path).toBe(path);
      const defaulted = await create(owner, site.id, { goal_type: 'page', page_path: '/' + long(113) }).expect(201);
      expect(defaulted.body.display_name).toBe('Visit /' + long(113));
    });

    it('keeps at most 1000 goals per website, also when creations race', async () => {
      const site = await createWebsite(t, owner);
      // 990 stored directly (1000 requests would take seconds), then 20 creations at once.
      await queryDb(
        t.dbUrl,
        `INSERT INTO goals (website_id, id, goal_type, event_name, display_name)
         SELECT $1, 'seed' || i, 'event', 'seed' || i, 'seed' || i FROM generate_series(1, 990) AS i`,
        [site.id],
      );
      const racing = await Promise.all(Array.from({ length: 20 }, (_, i) => create(owner, site.id, { goal_type: 'event', event_name: `e${i}` })));
      expect(racing.filter((r) => r.status === 201)).toHaveLength(10);
      const refused = racing.filter((r) => r.status === 400);
      expect(refused).toHaveLength(10);
      expect(refused[0].body).toEqual({ statusCode: 400, error: 'Bad Request', message: ['A website has at most 1000 goals; delete one first'] });
      const goals = (await list(owner, site.id).expect(200)).body.data;
      expect(goals).toHaveLength(1000);
      await remove(owner, site.id, goals[0].id).expect(204);
      await create(owner, site.id, { goal_type: 'page', page_path: '/one-more' }).expect(201);
      await create(owner, site.id, { goal_type: 'page', page_path: '/two-more' }).expect(400);
    });
  });

  describe('who may', () => {
    it('lets viewers list but not create or delete, and members do all three', async () => {
      const site = await createWebsite(t, owner);
      const goal = (await create(owner, site.id, { goal_type: 'event', event_name: 'Signup' }).expect(201)).body;
      const viewer = await joinOrganization(t, owner, 'viewer');
      const member = await joinOrganization(t, owner, 'member');
      expect((await list(viewer, site.id).expect(200)).body.data).toEqual([goal]);
      const refused = await create(viewer, site.id, { goal_type: 'event', event_name: 'Viewer' }).expect(403);
      expect(refused.body).toMatchObject({ statusCode: 403, error: 'Forbidden', message: expect.stringContaining('viewer') });
      await remove(viewer, site.id, goal.id).expect(403);

      const made = (await create(member, site.id, { goal_type: 'page', page_path: '/member' }).expect(201)).body;
      expect((await list(member, site.id).expect(200)).body.data).toEqual([goal, made]);
      await remove(member, site.id, goal.id).expect(204);
      expect((await list(owner, site.id).expect(200)).body.data).toEqual([made]);
    });

    it('lets an admin create and delete', async () => {
      const site = await createWebsite(t, owner);
      const admin = await joinOrganization(t, owner, 'admin');
      const made = (await create(admin, site.id, { goal_type: 'event', event_name: 'Admin' }).expect(201)).body;
      await remove(admin, site.id, made.id).expect(204);
    });

    it('lets a read key list, never create or delete', async () => {
      const site = await createWebsite(t, owner);
      const goal = (await create(owner, site.id, { goal_type: 'event', event_name: 'Signup' }).expect(201)).body;
      const key = await createApiKey(t, owner, { scopes: ['ingest', 'read'] });
      const limited = await createApiKey(t, owner, { scopes: ['read'], website_ids: [site.id] });
      for (const k of [key, limited]) {
        expect((await list({ token: k.key }, site.id).expect(200)).body.data).toEqual([goal]);
        await create({ token: k.key }, site.id, { goal_type: 'event', event_name: 'Key' }).expect(403);
        await remove({ token: k.key }, site.id, goal.id).expect(403);
      }
      expect((await list(owner, site.id).expect(200)).body.data).toEqual([goal]);
    });

    it('refuses (403) a key without the read scope, and one limited to another website', async () => {
      const site = await createWebsite(t, owner);
      const other = await createWebsite(t, owner);
      const ingestOnly = await createApiKey(t, owner, { scopes: ['ingest'] });
      const elsewhere = await createApiKey(t, owner, { scopes: ['read'], website_ids: [other.id] });
      await list({ token: ingestOnly.key }, site.id).expect(403);
      const res = await list({ token: elsewhere.key }, site.id).expect(403);
      expect(res.body.message).toBe('This API key is not allowed for this website');
      await list({ token: elsewhere.key }, other.id).expect(200);
    });

    it('answers 404 to another tenant on list, create and delete, and changes nothing', async () => {
      const site = await createWebsite(t, owner);
      const goal = (await create(owner, site.id, { goal_type: 'event', event_name: 'Signup' }).expect(201)).body;
      const strangerKey = await createApiKey(t, stranger, { scopes: ['read'] });
      for (const who of [stranger, { token: strangerKey.key }]) {
        const listed = await list(who, site.id).expect(404);
        expect(listed.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Website not found' });
        expect(JSON.stringify(listed.body)).not.toContain(goal.id);
      }
      await create(stranger, site.id, { goal_type: 'event', event_name: 'Pwned' }).expect(404);
      await remove(stranger, site.id, goal.id).expect(404);
      expect((await list(owner, site.id).expect(200)).body.data).toEqual([goal]);
    });

    it('answers 404 for an unknown website and 401 without credentials', async () => {
      await list(owner, 'no-such-site').expect(404);
      await create(owner, 'no-such-site', { goal_type: 'event', event_name: 'x' }).expect(404);
      await t.http().get(goalsOf('no-such-site')).expect(401);
      await t.http().post(goalsOf('no-such-site')).send({ goal_type: 'event', event_name: 'x' }).expect(401);
    });
  });

  describe('page paths as Postgres patterns', () => {
    it.each([
      ['/blog/**', ['/blog/', '/blog/a', '/blog/2024/05/post'], ['/blog', '/about/blog/a']],
      ['/post/*/edit', ['/post/1/edit', '/post//edit'], ['/post/1/2/edit', '/post/1/edit/x']],
      ['/a.b+(c)?[d]\\e{2}|^$', ['/a.b+(c)?[d]\\e{2}|^$'], ['/axb+(c)?[d]\\e{2}|^$', '/a.bb(c)[d]\\e{2}|^$', '/a.b+c?d\\ee|']],
    ])('%s matches exactly what it says in Postgres', async (pagePath, matching, notMatching) => {
      const paths = [...matching, ...notMatching];
      const rows = await queryDb<{ path: string; matches: boolean }>(t.dbUrl, 'SELECT path, path ~ $2 AS matches FROM unnest($1::text[]) AS path', [paths, pagePathPattern(pagePath)]);
      expect(rows).toEqual(paths.map((path) => ({ path, matches: matching.includes(path) })));
    });
  });
});
