import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, eventually, runBrowserTests } from './support/chromium';
import { buildDashboard, CHROME, FIREFOX, SAFARI, seedHistory } from './support/dashboard';
import { bearer, signup, startTestApp, TestApp } from './support/test-app';

/**
 * The dashboard (web/, served at /): its headers; then in real headless Chromium sign up, a
 * website, events through two dialects, the dashboard's numbers against the API's, filters,
 * ranges, keys and roles, funnels, goals, shields and shared links.
 * UPDATE_SCREENSHOTS=1 writes the screenshots README shows into docs/.
 */
const ROOT = path.join(__dirname, '..');

/** The browser globals the page callbacks use (this project compiles without the DOM lib). */
interface PageElement {
  getAttribute(name: string): string | null;
}
declare const document: { activeElement: { textContent: string | null } | null; querySelectorAll(selector: string): Iterable<PageElement> & { length: number }; querySelector(selector: string): PageElement | null; documentElement: { scrollWidth: number } };
declare const localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
declare function scrollBy(x: number, y: number): void;
declare function scrollTo(x: number, y: number): void;

const SHOTS = process.env.UPDATE_SCREENSHOTS ? path.join(ROOT, 'docs') : path.join(tmpdir(), 'footfall-dashboard-screenshots');
const PASSWORD = 'correct horse battery';

describe('dashboard serving', () => {
  let t: TestApp;
  beforeAll(async () => {
    buildDashboard();
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('is served at / and its client-side routes with a strict Content-Security-Policy and same-origin assets', async () => {
    for (const route of ['/', '/login', '/websites/abc', '/share/xyz']) {
      const res = await t.http().get(route).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    }
    const html = (await t.http().get('/').expect(200)).text;
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]|https?:\/\//);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const js = await t.http().get(asset).expect(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await t.http().get('/assets/nope.js').expect(404);
    await t.http().get('/api/no-such-route').expect(404);
  });
});

if (!runBrowserTests) {
  describe('dashboard in headless Chromium', () => {
    it.skip(`skipped: ${CHROMIUM} is missing (Debian: apt-get install -y chromium)`, () => undefined);
  });
}

(runBrowserTests ? describe : describe.skip)('dashboard in headless Chromium', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const consoleErrors: string[] = [];
  const domain = `dash-${Date.now().toString(36)}.example`;
  let owner: { email: string; token: string; context: BrowserContext; page: Page };
  let siteId: string;

  async function newPage(width = 1280, height = 900): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(`${page.url()}: ${m.text()}`));
    page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    return { context, page };
  }

  /** The headline numbers the dashboard shows, raw (data-value). */
  async function headline(page: Page): Promise<Record<string, number>> {
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('.stat .value')];
      return cells.length > 0 && !document.querySelector('[aria-label="Headline numbers"][aria-busy="true"]') && cells.every((c) => c.getAttribute('data-value') !== '');
    });
    return page.$$eval('.stat', (stats) => Object.fromEntries(stats.map((s) => [s.getAttribute('data-metric'), Number(s.querySelector('.value')!.getAttribute('data-value'))])));
  }

  /** The same numbers from the API. */
  async function apiHeadline(dateRange: [string, string], filters: unknown[] = []): Promise<Record<string, number>> {
    const metrics = ['visitors', 'visits', 'pageviews', 'views_per_visit', 'bounce_rate', 'visit_duration'];
    const res = await t.http().post('/api/v2/query').set(bearer(owner.token)).send({ site_id: siteId, metrics, date_range: dateRange, filters }).expect(200);
    return Object.fromEntries(metrics.map((m, i) => [m, res.body.results[0]?.metrics[i] ?? 0]));
  }

  const today = () => new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed: ${CHROMIUM} is missing (Debian: apt-get install -y chromium)`);
    buildDashboard();
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    // launch() runs Chromium on a fresh, temporary user-data dir.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs up, creates a website and shows its install snippets', async () => {
    const { context, page } = await newPage();
    const email = `owner-${Date.now()}@example.com`;
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login/);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Organization').fill('Engines');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(/\/websites$/);
    await expect(page.locator('.boot').count()).resolves.toBe(0);
    await page.getByText('Add a website').click();
    await page.getByLabel('Name').fill('Blog');
    await page.getByLabel('Domain').fill(domain);
    await page.getByLabel('Time zone').fill('UTC');
    await page.getByRole('button', { name: 'Create website' }).click();
    await page.waitForURL(/\/websites\/[^/]+\/settings$/);
    siteId = /\/websites\/([^/]+)\/settings$/.exec(page.url())![1];
    await page.getByRole('group', { name: 'Ingestion dialect' }).getByRole('button', { name: 'Plausible' }).click();
    await expect(page.locator('pre.code').textContent()).resolves.toContain(`${base}/api/event`);
    await page.getByRole('group', { name: 'Ingestion dialect' }).getByRole('button', { name: 'Script tag' }).click();
    await expect(page.locator('pre.code').textContent()).resolves.toContain(`data-website-id="${siteId}"`);
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('footfall.session')!).token as string);
    owner = { email, token, context, page };
  });

  it('shows the numbers the API answers, for events sent through two dialects', async () => {
    const collect = (ua: string, body: object) => t.http().post('/api/collect').set('User-Agent', ua).send({ website_id: siteId, ...body }).expect(202);
    const plausible = (ua: string, body: object) => t.http().post('/api/event').set('User-Agent', ua).send({ domain, ...body }).expect(202);
    await collect(CHROME, { type: 'pageview', url: `https://${domain}/pricing`, referrer: 'https://www.google.com/' });
    await collect(CHROME, { type: 'pageview', url: `https://${domain}/docs` });
    await collect(FIREFOX, { type: 'pageview', url: `https://${domain}/` });
    await plausible(SAFARI, { name: 'pageview', url: `https://${domain}/pricing` });
    await plausible(SAFARI, { name: 'Signup', url: `https://${domain}/pricing`, props: { plan: 'pro' } });
    await t.http().post(`/api/websites/${siteId}/goals`).set(bearer(owner.token)).send({ goal_type: 'event', event_name: 'Signup' }).expect(201);

    const { page } = owner;
    await page.goto(`${base}/websites/${siteId}?period=day`);
    const shown = await headline(page);
    expect(shown).toEqual(await apiHeadline([today(), today()]));
    expect(shown).toMatchObject({ visitors: 3, pageviews: 4 });
    // Panels below the fold load when scrolled to.
    await page.locator('[data-panel="Goals"]').scrollIntoViewIfNeeded();
    await expect(page.locator('[data-panel="Goals"] tbody tr').first().textContent()).resolves.toContain('Signup');
    await expect(page.locator('[data-panel="Custom events"] tbody tr').first().textContent()).resolves.toContain('Signup');
    await expect(page.getByRole('status').filter({ hasText: 'current visitor' }).textContent()).resolves.toMatch(/\d+ current visitors?/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`${siteId}-${today()}-${today()}.csv`);
    expect(readFileSync((await download.path())!, 'utf8')).toContain('/pricing');
  });

  it('filters the whole dashboard by a clicked row, shown as a removable chip kept in the URL', async () => {
    const { page } = owner;
    await page.locator('[data-panel="Pages"]').getByRole('button', { name: '/pricing' }).click();
    await page.waitForURL(/event%3Apage=%2Fpricing|event:page=%2Fpricing/);
    expect(await headline(page)).toEqual(await apiHeadline([today(), today()], [['is', 'event:page', ['/pricing']]]));
    expect((await headline(page)).visitors).toBe(2);
    await page.reload();
    await expect(page.getByRole('list', { name: 'Filters' }).textContent()).resolves.toContain('/pricing');
    expect((await headline(page)).visitors).toBe(2);
    await page.getByRole('button', { name: 'Remove filter Page is /pricing' }).click();
    await eventually(async () => ((await headline(page)).visitors === 3 ? true : undefined), 'the unfiltered numbers');
    expect(page.url()).not.toContain('pricing');

    await page.locator('[data-panel="Custom events"]').scrollIntoViewIfNeeded();
    await page.locator('[data-panel="Custom events"]').getByRole('button', { name: 'Signup' }).click();
    await page.locator('[data-panel="Properties of Signup"]').getByRole('button', { name: 'pro' }).click();
    await page.waitForURL(/event%3Aprops%3Aplan=pro|event:props:plan=pro/);
    expect(await headline(page)).toEqual(await apiHeadline([today(), today()], [['is', 'event:name', ['Signup']], ['is', 'event:props:plan', ['pro']]]));
    await page.getByRole('button', { name: 'Clear all' }).click();
    await eventually(async () => ((await headline(page)).visitors === 3 ? true : undefined), 'the unfiltered numbers');
  });

  it('works from the keyboard: a skip link first, rows and chips as buttons', async () => {
    const { page } = owner;
    await page.goto(`${base}/websites/${siteId}?period=day`);
    await headline(page);
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
    await page.locator('[data-panel="Sources"]').getByRole('button', { name: 'google.com' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/visit%3Asource=google.com|visit:source=google.com/);
    await page.getByRole('button', { name: 'Remove filter Source is google.com' }).focus();
    await page.keyboard.press('Enter');
    await eventually(async () => (page.url().includes('source') ? undefined : true), 'the filter removed');
  });

  it('changes the date range with a preset and a custom range', async () => {
    const { page } = owner;
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Date range').selectOption('yesterday');
    await page.waitForURL(/period=yesterday/);
    expect(await headline(page)).toEqual(await apiHeadline([yesterday, yesterday]));
    await page.getByLabel('Date range').selectOption('custom');
    await page.getByLabel('From', { exact: true }).fill(yesterday);
    await page.getByLabel('To', { exact: true }).fill(today());
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/period=custom/);
    expect(page.url()).toContain(`from=${yesterday}`);
    expect(await headline(page)).toEqual(await apiHeadline([yesterday, today()]));
  });

  it('saves screenshots at 1280 and 390 px wide, of four weeks of traffic, with nothing wider than the screen', async () => {
    await seedHistory(t, siteId, domain, owner.token);
    // Scrolled down step by step, so every panel comes into view and loads, then back to the top.
    const settled = async (page: Page) => {
      await headline(page);
      await page.waitForFunction(() => {
        scrollBy(0, 400);
        return document.querySelectorAll('[aria-busy="true"]').length === 0 && !!document.querySelector('.plot canvas');
      }, null, { polling: 100 });
      await page.evaluate(() => scrollTo(0, 0));
    };
    const { page } = owner;
    await page.goto(`${base}/websites/${siteId}`);
    await settled(page);
    expect(await headline(page)).toEqual(await apiHeadline([new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10), today()]));
    await page.screenshot({ path: path.join(SHOTS, 'dashboard-1280.png'), fullPage: true });
    const { context, page: narrow } = await newPage(390, 844);
    await narrow.goto(`${base}/login`);
    await narrow.evaluate((s) => localStorage.setItem('footfall.session', s), await page.evaluate(() => localStorage.getItem('footfall.session')!));
    await narrow.goto(`${base}/websites/${siteId}`);
    await settled(narrow);
    expect(await narrow.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await narrow.screenshot({ path: path.join(SHOTS, 'dashboard-390.png'), fullPage: true });
    await context.close();
  });

  it('creates an API key shown once, which works, and revokes it', async () => {
    const { page } = owner;
    await page.goto(`${base}/settings/keys`);
    await page.getByLabel('Name').fill('Reporting');
    await page.getByLabel('read: query analytics').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('new-key').textContent())!;
    expect(key).toMatch(/^ff_live_/);
    await t.http().get('/api/websites').set(bearer(key)).expect(200);
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByTestId('new-key').count()).resolves.toBe(0);
    await page.getByRole('row', { name: /Reporting/ }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByText('No API keys.').waitFor();
    await t.http().get('/api/websites').set(bearer(key)).expect(401);
  });

  it('builds a funnel, and edits goals and shields', async () => {
    const { page } = owner;
    await page.goto(`${base}/websites/${siteId}?period=day`);
    await page.getByRole('link', { name: 'Funnels' }).click();
    await page.getByLabel('Step 1 path').fill('/pricing');
    await page.getByLabel('Step 2 type').selectOption('event');
    await page.getByLabel('Step 2 event name').fill('Signup');
    await page.getByRole('button', { name: 'Show funnel' }).click();
    const steps = page.getByRole('list', { name: 'Funnel result' }).getByRole('listitem');
    const api = await t.http().post(`/api/websites/${siteId}/funnels/query?start_date=${today()}&end_date=${today()}`).set(bearer(owner.token))
      .send({ steps: [{ type: 'page', value: '/pricing' }, { type: 'event', value: 'Signup' }] }).expect(200);
    expect(api.body.steps.map((s: { visitors: number }) => s.visitors)).toEqual([2, 1]);
    await expect(steps.nth(0).textContent()).resolves.toContain('2 visitors');
    await expect(steps.nth(1).textContent()).resolves.toContain('1 visitors');

    await page.goto(`${base}/websites/${siteId}/settings`);
    await page.getByLabel('Type').selectOption('page');
    await page.getByLabel('Page path').fill('/docs/**');
    await page.getByLabel('Display name').fill('Read the docs');
    await page.getByRole('button', { name: 'Add goal' }).click();
    await page.getByText('Read the docs', { exact: true }).waitFor();
    await page.getByRole('listitem').filter({ hasText: 'Read the docs' }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete goal' }).click();
    await eventually(async () => ((await page.getByText('Read the docs', { exact: true }).count()) === 0 ? true : undefined), 'the goal deleted');

    await page.getByLabel('IP addresses').fill('203.0.113.0/24');
    await page.getByRole('button', { name: 'Save shields' }).click();
    await eventually(async () => {
      const res = await t.http().get(`/api/websites/${siteId}/shields`).set(bearer(owner.token)).expect(200);
      return res.body.ip_addresses.includes('203.0.113.0/24') ? true : undefined;
    }, 'the shield saved');
  });

  it('shows a viewer neither key nor member management', async () => {
    const viewer = await signup(t, 'viewer');
    const { page } = owner;
    await page.goto(`${base}/settings/members`);
    await page.getByLabel('Email of a Footfall user').fill(viewer.email);
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Add or change member' }).click();
    await page.getByRole('cell', { name: viewer.email }).waitFor();

    const { context, page: theirs } = await newPage();
    await theirs.goto(`${base}/login`);
    await theirs.getByLabel('Email').fill(viewer.email);
    await theirs.getByLabel('Password').fill(PASSWORD);
    await theirs.getByRole('button', { name: 'Log in' }).click();
    await theirs.waitForURL(/\/websites$/);
    await theirs.getByLabel('Organization').selectOption({ label: 'Engines (viewer)' });
    await theirs.getByRole('link', { name: 'Blog' }).waitFor();
    const nav = theirs.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'API keys' }).count()).resolves.toBe(0);
    await expect(nav.getByRole('link', { name: 'Members' }).count()).resolves.toBe(0);
    await theirs.goto(`${base}/settings/keys`);
    await theirs.getByText('Only owners and admins manage API keys.').waitFor();
    await expect(theirs.getByRole('button', { name: 'Create key' }).count()).resolves.toBe(0);
    await theirs.goto(`${base}/websites/${siteId}/settings`);
    await theirs.getByRole('heading', { name: 'Install' }).waitFor();
    await expect(theirs.getByRole('button', { name: 'Delete website' }).count()).resolves.toBe(0);
    await expect(theirs.getByRole('heading', { name: 'Shared links' }).count()).resolves.toBe(0);
    await theirs.getByRole('button', { name: 'Log out' }).click();
    await theirs.waitForURL(/\/login/);
    await context.close();
  });

  it('opens a shared link logged out, read-only, until it is revoked', async () => {
    const { page } = owner;
    await page.goto(`${base}/websites/${siteId}/settings`);
    await page.getByLabel('Label').fill('Board');
    await page.getByRole('button', { name: 'Create link' }).click();
    const url = (await page.getByRole('status').filter({ hasText: 'New link' }).getByRole('link').textContent())!;
    expect(url).toContain('/share/');
    const { context, page: visitor } = await newPage();
    await visitor.goto(url);
    expect(await headline(visitor)).toEqual(await apiHeadline([new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10), today()]));
    await expect(visitor.getByRole('link', { name: 'Settings' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Revoke link' }).click();
    await page.getByText('No shared links.').waitFor();
    const logged = consoleErrors.length;
    await visitor.reload();
    await visitor.getByText('This link does not exist or was revoked.').waitFor();
    // The browser logs the revoked link's 404 itself: that one is expected.
    expect(consoleErrors.splice(logged).every((e) => /status of 404/.test(e))).toBe(true);
    await context.close();
  });

  it('asks for a protected link\'s password before it opens', async () => {
    const link = (await t.http().post(`/api/websites/${siteId}/shared-links`).set(bearer(owner.token)).send({ label: 'Board', password: 'open sesame' }).expect(201)).body;
    const { context, page } = await newPage(390, 844);
    const logged = consoleErrors.length;
    await page.goto(`${base}${link.url}`);
    await page.getByLabel('Password').fill('wrong guess');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByText('Wrong password.').waitFor();
    await page.getByLabel('Password').fill('open sesame');
    await page.getByRole('button', { name: 'Open' }).click();
    expect((await headline(page)).visitors).toBeGreaterThan(0);
    // The browser logs the 401s that ask for the password itself: those are expected.
    expect(consoleErrors.splice(logged).every((e) => /status of 401/.test(e))).toBe(true);
    await context.close();
  });

  it('logged no console errors on any page', () => {
    expect(consoleErrors).toEqual([]);
  });
});
