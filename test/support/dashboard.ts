import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { bearer, TestApp } from './test-app';

/** The dashboard's browser test: its build and its made-up traffic. */
const ROOT = path.join(__dirname, '..', '..');
export const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
export const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
export const SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';

/** The newest modification time under a folder. */
function newest(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).reduce((t, e) => (e.isFile() ? Math.max(t, statSync(path.join(e.parentPath, e.name)).mtimeMs) : t), 0);
}

/** Builds the dashboard when dist/web is missing or older than its sources. */
export function buildDashboard(): void {
  const index = path.join(ROOT, 'dist', 'web', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(path.join(ROOT, 'web'))) return;
  const run = spawnSync(process.execPath, ['scripts/build-web.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`dashboard build failed: ${run.stderr}${run.stdout}`);
}

const PAGES = ['/', '/pricing', '/docs', '/docs/install', '/blog/launch', '/about'];
const REFERRERS = ['https://www.google.com/', 'https://news.ycombinator.com/', 'https://github.com/', '', '', 'https://duckduckgo.com/'];
const NETWORKS = ['81.2.69.', '8.8.8.', '5.9.0.', '163.172.0.', '133.242.0.'];
const AGENTS = [CHROME, FIREFOX, SAFARI, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'];

/** Four weeks of made-up but steady traffic before today, through Footfall's own API with a key revoked after. */
export async function seedHistory(t: TestApp, siteId: string, domain: string, token: string): Promise<void> {
  const events: object[] = [];
  for (let day = 1; day <= 28; day++) {
    const visitors = 8 + ((day * 7) % 11) + (day % 7 < 2 ? 0 : 6);
    for (let v = 0; v < visitors; v++) {
      const start = Date.now() - day * 86_400_000 + v * 3_000_000;
      const agent = AGENTS[(v + day) % AGENTS.length];
      const ip = `${NETWORKS[(v * 3 + day) % NETWORKS.length]}${v + 1}`;
      const campaign = v % 9 === 4 ? '?utm_source=newsletter&utm_medium=email&utm_campaign=december' : '';
      for (let n = 0; n <= (v + day) % 3; n++) {
        const page = PAGES[(v + n * 2 + day) % PAGES.length];
        events.push({
          website_id: siteId, url: `https://${domain}${page}${n === 0 ? campaign : ''}`, referrer: n === 0 ? REFERRERS[(v + day) % REFERRERS.length] || undefined : undefined,
          user_agent: agent, ip_address: ip, timestamp: new Date(start + n * 60_000).toISOString(),
        });
      }
      const landing = PAGES[(v + day) % PAGES.length];
      if (v % 4 === 1) events.push({ website_id: siteId, type: 'custom', name: v % 8 === 1 ? 'Signup' : 'Download', url: `https://${domain}${landing}`, user_agent: agent, ip_address: ip, timestamp: new Date(start + 30_000).toISOString() });
    }
  }
  const key = (await t.http().post('/api/api-keys').set(bearer(token)).send({ name: 'seed', scopes: ['ingest'] }).expect(201)).body;
  for (let i = 0; i < events.length; i += 50) {
    await t.http().post('/api/v1/events').set(bearer(key.key)).send({ events: events.slice(i, i + 50) }).expect(202);
  }
  await t.http().delete(`/api/api-keys/${key.id}`).set(bearer(token)).expect(204);
}
