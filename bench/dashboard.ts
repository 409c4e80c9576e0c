import { chromium } from 'playwright-core';

const USAGE = `npm run bench:dashboard [-- options]

Times the dashboard's first view in headless Chromium against a running Footfall: from navigation
to the headline numbers, to the chart, to the panels on the screen (1280 x 900), and to every
panel after scrolling. Made for the database \`npm run bench:query -- --keep\` leaves (its tenant
and measured website are the defaults): start Footfall on it (DATABASE_URL=... npm start), then
run this. Each range is opened --runs times in a fresh browser context.

Options:
  --url URL          Footfall's address (default http://127.0.0.1:3000)
  --email E          a member of the website's organization (default query-bench@example.com)
  --password P       (default: bench:query's)
  --website NAME     the website's name (default "Query bench: measured site")
  --runs N           (default 3)
  --chromium PATH    (default /usr/bin/chromium, or CHROMIUM_PATH)`;

/** The browser globals the page callbacks use (this project compiles without the DOM lib). */
interface PageElement {
  getAttribute(name: string): string | null;
}
declare const document: { querySelectorAll(selector: string): Iterable<PageElement> & { length: number }; querySelector(selector: string): PageElement | null };
declare const localStorage: { setItem(key: string, value: string): void };
declare function scrollBy(x: number, y: number): void;

function option(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    return;
  }
  const base = option('url', 'http://127.0.0.1:3000');
  const runs = Number(option('runs', '3'));
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: option('email', 'query-bench@example.com'), password: option('password', 'query benchmark password') }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const { access_token: token } = (await login.json()) as { access_token: string };
  const sites = (await (await fetch(`${base}/api/websites`, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: { id: string; name: string }[] };
  const site = sites.data.find((w) => w.name === option('website', 'Query bench: measured site'));
  if (!site) throw new Error('no such website');
  const browser = await chromium.launch({
    executablePath: option('chromium', process.env.CHROMIUM_PATH || '/usr/bin/chromium'),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const session = JSON.stringify({ token, expiresAt: Date.now() + 3_600_000 });
  console.log('| range | headline numbers ms | chart ms | panels on screen ms | all panels ms | console errors |\n|---|---|---|---|---|---|');
  for (const [label, query] of [['last 30 days', ''], ['last 7 days', '?period=7d'], ['last 12 months', '?period=12mo']]) {
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      let errors = 0;
      page.on('console', (m) => void (m.type() === 'error' && errors++));
      await page.goto(`${base}/login`);
      await page.evaluate((s) => localStorage.setItem('footfall.session', s), session);
      const t0 = Date.now();
      await page.goto(`${base}/websites/${site.id}${query}`);
      const opts = { timeout: 120_000, polling: 20 };
      await page.waitForFunction(() => [...document.querySelectorAll('.stat .value')].every((c) => c.getAttribute('data-value') !== '') && document.querySelectorAll('.stat').length > 0, null, opts);
      const numbers = Date.now() - t0;
      await page.waitForFunction(() => !!document.querySelector('.plot canvas') && !document.querySelector('.chart[aria-busy="true"]'), null, opts);
      const chart = Date.now() - t0;
      await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0, null, opts);
      const onScreen = Date.now() - t0;
      await page.waitForFunction(() => (scrollBy(0, 400), document.querySelectorAll('[aria-busy="true"]').length === 0), null, { ...opts, polling: 100 });
      console.log(`| ${label} | ${numbers} | ${chart} | ${onScreen} | ${Date.now() - t0} | ${errors} |`);
      await context.close();
    }
  }
  await browser.close();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
