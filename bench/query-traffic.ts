/**
 * Synthetic traffic for the query benchmark: a deterministic (seeded) model of visitors, visits
 * and custom events over a period, produced in time order as native-API batches.
 *
 * - Each site gets a fixed number of events, spread over the period by hour of day (peak around
 *   14:00 UTC), day of week (weekends lower), a slow upward trend, daily noise and one spike day.
 * - Visits have 1..8 pageviews (a third bounce), gaps between pageviews under 30 minutes, a landing
 *   page, a referrer and sometimes UTM tags on the first pageview, internal referrers after it.
 * - Visitors come back over days: 45% of visits are a visitor's first, the others pick an earlier
 *   visitor. A visitor keeps its visitor_id, user agent, IP, language and screen (all derived from
 *   its number, so no per-visitor state is kept and 10M events stream in constant memory).
 * - About 15% of events are custom events with props (signup, purchase, cta_click, ...).
 * - About 3% of visits are crawlers with bot user agents.
 */

/** One event of POST /api/v1/events. */
export interface NativeEvent {
  website_id: string;
  type: 'pageview' | 'custom';
  name?: string;
  url: string;
  referrer?: string;
  title?: string;
  props?: Record<string, string | number | boolean>;
  visitor_id: string;
  user_agent: string;
  ip_address: string;
  language: string;
  screen: string;
  timestamp: string;
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
}

export interface TrafficSite {
  websiteId: string;
  host: string;
  /** Index of the API key (organization) that sends this site's events. */
  keyIndex: number;
  events: number;
}

export interface TrafficBatch {
  keyIndex: number;
  body: string;
  events: number;
}

/** The funnel the model is shaped for, and the property key it sets on most custom events. */
export const FUNNEL_STEPS = [
  { type: 'page', value: '/' },
  { type: 'page', value: '/pricing' },
  { type: 'event', value: 'signup' },
  { type: 'page', value: '/checkout' },
] as const;
export const PROP_KEY = 'plan';
export const PROPERTIES_EVENT = 'purchase';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const MAX_GAP_MS = 29 * MINUTE_MS;

/** mulberry32: small, fast, seeded. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit hash of two integers (murmur3 finaliser), for per-visitor attributes. */
function hash2(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x27d4eb2f, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

type Weighted<T> = readonly (readonly [T, number])[];

function weightedPicker<T>(items: Weighted<T>): (r: number) => T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const [, w] of items) cumulative.push((acc += w / total));
  return (r: number) => {
    for (let i = 0; i < cumulative.length; i++) if (r < cumulative[i]) return items[i][0];
    return items[items.length - 1][0];
  };
}

// ---- Visitors -------------------------------------------------------------------------------

type Device = 'desktop' | 'mobile' | 'tablet';

const browserAgents: Weighted<{ ua: string; device: Device }> = (() => {
  const list: [{ ua: string; device: Device }, number][] = [];
  for (const v of [118, 120, 121, 122, 123, 124, 125, 126]) {
    list.push([{ ua: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`, device: 'desktop' }, 4]);
    list.push([{ ua: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`, device: 'desktop' }, 1.5]);
    list.push([{ ua: `Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Mobile Safari/537.36`, device: 'mobile' }, 1]);
    list.push([{ ua: `Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Mobile Safari/537.36`, device: 'mobile' }, 1]);
    list.push([{ ua: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36 Edg/${v}.0.0.0`, device: 'desktop' }, 0.8]);
    list.push([{ ua: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`, device: 'desktop' }, 0.3]);
  }
  for (const v of ['16_6', '17_2', '17_4', '17_5']) {
    const dotted = v.replace('_', '.');
    list.push([{ ua: `Mozilla/5.0 (iPhone; CPU iPhone OS ${v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${dotted} Mobile/15E148 Safari/604.1`, device: 'mobile' }, 5]);
    list.push([{ ua: `Mozilla/5.0 (iPad; CPU OS ${v} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${dotted} Mobile/15E148 Safari/604.1`, device: 'tablet' }, 0.8]);
    list.push([{ ua: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${dotted} Safari/605.1.15`, device: 'desktop' }, 2]);
  }
  for (const v of [115, 121, 124, 125, 126]) {
    list.push([{ ua: `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`, device: 'desktop' }, 1]);
    list.push([{ ua: `Mozilla/5.0 (X11; Linux x86_64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`, device: 'desktop' }, 0.4]);
  }
  list.push([{ ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0', device: 'desktop' }, 0.5]);
  list.push([{ ua: 'Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36', device: 'mobile' }, 1.5]);
  return list;
})();
const BOT_AGENTS = [
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36',
  'python-requests/2.31.0',
  'curl/8.5.0',
];
const pickAgent = weightedPicker(browserAgents);
const SCREENS: Record<Device, string[]> = {
  desktop: ['1920x1080', '1440x900', '2560x1440', '1366x768', '1536x864', '1680x1050'],
  mobile: ['390x844', '414x896', '360x800', '393x873', '412x915'],
  tablet: ['820x1180', '768x1024', '834x1194'],
};
const pickLanguage = weightedPicker<string>([
  ['en-US', 35], ['en-GB', 8], ['de-DE', 12], ['fr-FR', 8], ['es-ES', 6], ['pt-BR', 5], ['ja-JP', 4], ['nl-NL', 4], ['it-IT', 3], ['pl-PL', 3], ['sv-SE', 2], ['zh-CN', 3],
]);
/** First octets of public IPv4 ranges in many regions, so geolocation spreads over countries. */
const FIRST_OCTETS = [
  2, 5, 31, 37, 46, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 109, 151, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217,
  3, 4, 8, 12, 13, 23, 24, 50, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 96, 97, 98, 99, 104, 107, 108, 173, 174,
  1, 14, 27, 36, 39, 42, 49, 58, 59, 60, 61, 101, 103, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 202, 203, 210, 211, 218, 219, 220, 221,
  177, 179, 181, 186, 187, 189, 190, 191, 200, 201, 41, 102, 105, 196, 197,
];
const IPV6_PREFIXES = ['2a01', '2a02', '2a00', '2600', '2601', '2606', '2405', '2400', '2804'];

export interface Visitor {
  id: string;
  ua: string;
  ip: string;
  language: string;
  screen: string;
}

/** Visitor `n` of site `site`: the same n always gives the same visitor. */
function visitor(site: number, n: number, bot: boolean): Visitor {
  const h1 = hash2(site, n);
  const h2 = hash2(h1, n + 1);
  const h3 = hash2(h2, site + 7);
  const r = (h: number) => h / 4294967296;
  const id = `v${site.toString(36)}${n.toString(36)}${(h1 & 0xffffff).toString(16).padStart(6, '0')}`;
  if (bot) {
    const ua = BOT_AGENTS[h1 % BOT_AGENTS.length];
    return { id, ua, ip: `${[34, 35, 66, 40, 52, 157][h2 % 6]}.${(h2 >>> 8) & 255}.${(h3 >>> 8) & 255}.${1 + (h3 % 254)}`, language: 'en-US', screen: '1920x1080' };
  }
  const agent = pickAgent(r(h1));
  const ip =
    h2 % 100 < 8
      ? `${IPV6_PREFIXES[h3 % IPV6_PREFIXES.length]}:${((h2 >>> 4) & 0xffff).toString(16)}:${((h3 >>> 3) & 0xffff).toString(16)}::${(h1 & 0xffff).toString(16)}`
      : `${FIRST_OCTETS[h2 % FIRST_OCTETS.length]}.${(h2 >>> 8) & 255}.${(h3 >>> 8) & 255}.${1 + (h3 % 254)}`;
  const screens = SCREENS[agent.device];
  return { id, ua: agent.ua, ip, language: pickLanguage(r(h3)), screen: screens[h1 % screens.length] };
}

// ---- Pages and navigation ---------------------------------------------------------------------

const ADJECTIVES = ['fast', 'private', 'simple', 'honest', 'modern', 'tiny', 'scalable', 'open', 'better', 'lean', 'practical', 'real'];
const NOUNS = ['analytics', 'dashboards', 'funnels', 'postgres', 'metrics', 'tracking', 'cohorts', 'sessions', 'pipelines', 'events', 'retention', 'cookies'];
const BLOG = Array.from({ length: 150 }, (_, i) => `/blog/${ADJECTIVES[i % ADJECTIVES.length]}-${NOUNS[(i * 7) % NOUNS.length]}-${i + 1}`);
const DOC_SECTIONS = ['getting-started', 'tracking', 'api', 'self-hosting', 'integrations', 'privacy', 'billing', 'faq'];
const DOC_TOPICS = ['overview', 'install', 'configure', 'events', 'filters', 'keys', 'webhooks', 'limits'];
const DOCS = DOC_SECTIONS.flatMap((s) => DOC_TOPICS.map((t) => `/docs/${s}/${t}`));
const MISC = ['/about', '/contact', '/careers', '/changelog', '/privacy', '/terms', '/blog'];

type Area = 'home' | 'pricing' | 'signup' | 'checkout' | 'blog' | 'docs' | 'misc';
const areaOf = (path: string): Area =>
  path === '/' ? 'home' : path === '/pricing' ? 'pricing' : path === '/signup' ? 'signup' : path === '/checkout' ? 'checkout' : path.startsWith('/blog/') ? 'blog' : path.startsWith('/docs/') ? 'docs' : 'misc';

const nextArea: Record<Area | 'landing', (r: number) => Area> = {
  landing: weightedPicker<Area>([['home', 36], ['blog', 34], ['docs', 15], ['pricing', 8], ['misc', 5], ['signup', 2]]),
  home: weightedPicker<Area>([['pricing', 38], ['blog', 22], ['docs', 18], ['misc', 10], ['signup', 12]]),
  pricing: weightedPicker<Area>([['signup', 42], ['home', 18], ['docs', 22], ['blog', 10], ['misc', 8]]),
  signup: weightedPicker<Area>([['checkout', 45], ['pricing', 20], ['docs', 20], ['home', 15]]),
  checkout: weightedPicker<Area>([['docs', 50], ['home', 30], ['pricing', 20]]),
  blog: weightedPicker<Area>([['blog', 50], ['home', 22], ['pricing', 14], ['signup', 6], ['docs', 8]]),
  docs: weightedPicker<Area>([['docs', 62], ['pricing', 14], ['home', 12], ['signup', 8], ['blog', 4]]),
  misc: weightedPicker<Area>([['home', 40], ['blog', 20], ['pricing', 20], ['misc', 20]]),
};

function pathIn(area: Area, r: number): string {
  switch (area) {
    case 'home':
      return '/';
    case 'pricing':
      return '/pricing';
    case 'signup':
      return '/signup';
    case 'checkout':
      return '/checkout';
    // Popular posts and docs get most views: r^2 skews towards the first ones.
    case 'blog':
      return BLOG[Math.floor(r * r * BLOG.length)];
    case 'docs':
      return DOCS[Math.floor(r * r * DOCS.length)];
    case 'misc':
      return MISC[Math.floor(r * MISC.length)];
  }
}

const TITLES: Record<Area, string> = {
  home: 'Home', pricing: 'Pricing', signup: 'Sign up', checkout: 'Checkout', blog: 'Blog', docs: 'Documentation', misc: 'Company',
};

// ---- Sources ------------------------------------------------------------------------------

const pickSource = weightedPicker<(r: number) => string | undefined>([
  [() => undefined, 34],
  [() => 'https://www.google.com/', 28],
  [(r) => `https://www.google.${['de', 'fr', 'co.uk', 'com.br', 'co.jp'][Math.floor(r * 5)]}/`, 4],
  [() => 'https://www.bing.com/', 4],
  [() => 'https://duckduckgo.com/', 3],
  [(r) => `https://news.ycombinator.com/item?id=${40000000 + Math.floor(r * 50)}`, 5],
  [(r) => `https://www.reddit.com/r/${['webdev', 'selfhosted', 'analytics', 'programming'][Math.floor(r * 4)]}/`, 4],
  [(r) => `https://t.co/${Math.floor(r * 1e6).toString(36)}`, 4],
  [() => 'https://www.linkedin.com/', 2],
  [(r) => `https://github.com/${['awesome-selfhosted', 'footfall', 'analytics-tools'][Math.floor(r * 3)]}`, 3],
  [() => 'https://www.producthunt.com/', 1],
  // A long tail of small blogs and newsletters linking to the site.
  [(r) => `https://${['blog', 'notes', 'weekly', 'dev'][Math.floor(r * 4)]}-${Math.floor(r * 600)}.example.net/posts/${Math.floor(r * 97)}`, 8],
]);
const pickCampaign = weightedPicker<{ source: string; medium: string; campaign: (r: number) => string }>([
  [{ source: 'newsletter', medium: 'email', campaign: (r) => `weekly_${1 + Math.floor(r * 13)}` }, 4],
  [{ source: 'google', medium: 'cpc', campaign: (r) => ['brand', 'competitors', 'generic_analytics'][Math.floor(r * 3)] }, 4],
  [{ source: 'twitter', medium: 'social', campaign: () => 'launch_week' }, 2],
  [{ source: 'linkedin', medium: 'social', campaign: () => 'b2b_q2' }, 1],
  [{ source: 'partner', medium: 'referral', campaign: (r) => `partner_${1 + Math.floor(r * 8)}` }, 1],
]);

// ---- Custom events ----------------------------------------------------------------------------

/** Scales the probabilities below so that about 15% of all events are custom events. */
const CUSTOM_SCALE = 0.72;

type Props = Record<string, string | number | boolean>;
const PLANS = ['free', 'starter', 'pro', 'team'] as const;
const plan = (r: number) => PLANS[Math.min(3, Math.floor(r * r * 4.4))];

/** The custom event a pageview of `area` may trigger: name, probability, props. */
const CUSTOM: Record<Area, { name: string; p: number; props: (r: () => number) => Props }[]> = {
  home: [{ name: 'cta_click', p: 0.22, props: (r) => ({ button: r() < 0.6 ? 'hero' : 'nav', [PROP_KEY]: plan(r()) }) }],
  pricing: [
    { name: 'cta_click', p: 0.3, props: (r) => ({ button: 'pricing_table', [PROP_KEY]: plan(r()) }) },
    { name: 'plan_toggle', p: 0.1, props: (r) => ({ billing: r() < 0.5 ? 'monthly' : 'yearly' }) },
  ],
  signup: [{ name: 'signup', p: 0.5, props: (r) => ({ [PROP_KEY]: plan(r()), method: ['email', 'google', 'github'][Math.floor(r() * 3)] }) }],
  checkout: [
    {
      name: PROPERTIES_EVENT,
      p: 0.55,
      props: (r) => {
        const p = PLANS[1 + Math.floor(r() * 3)];
        return { [PROP_KEY]: p, amount: { starter: 9, pro: 29, team: 99, free: 0 }[p] * (r() < 0.3 ? 10 : 1), currency: ['USD', 'EUR', 'GBP'][Math.floor(r() * 3)], yearly: r() < 0.3 };
      },
    },
  ],
  blog: [
    { name: 'newsletter_subscribe', p: 0.05, props: (r) => ({ position: r() < 0.5 ? 'inline' : 'footer' }) },
    { name: 'outbound_click', p: 0.08, props: (r) => ({ domain: ['github.com', 'postgresql.org', 'wikipedia.org', 'stackoverflow.com'][Math.floor(r() * 4)] }) },
    { name: 'video_play', p: 0.03, props: (r) => ({ video: `demo-${1 + Math.floor(r() * 5)}`, autoplay: false }) },
  ],
  docs: [
    { name: 'copy_code', p: 0.2, props: (r) => ({ language: ['javascript', 'python', 'curl', 'go', 'php'][Math.floor(r() * 5)] }) },
    { name: 'file_download', p: 0.03, props: (r) => ({ file: ['openapi.json', 'footfall.js', 'docker-compose.yml'][Math.floor(r() * 3)] }) },
  ],
  misc: [{ name: 'outbound_click', p: 0.06, props: (r) => ({ domain: ['github.com', 'x.com', 'linkedin.com'][Math.floor(r() * 3)] }) }],
};

// ---- Time -------------------------------------------------------------------------------------

/** Relative traffic of each hour of the period. */
function hourWeights(start: number, hours: number, rand: () => number): number[] {
  const dayNoise = Array.from({ length: Math.ceil(hours / 24) + 1 }, () => 0.85 + 0.3 * rand());
  const spikeDay = Math.floor(hours / 24 / 3) * 2; // two thirds in: a front-page day
  return Array.from({ length: hours }, (_, i) => {
    const t = new Date(start + i * HOUR_MS);
    const hour = t.getUTCHours();
    const day = Math.floor(i / 24);
    const diurnal = 0.25 + Math.exp(-((hour - 14) ** 2) / (2 * 4.5 ** 2));
    const weekday = t.getUTCDay() === 0 || t.getUTCDay() === 6 ? 0.7 : 1;
    const trend = 1 + (0.35 * i) / hours;
    const spike = day === spikeDay ? 2.5 : 1;
    return diurnal * weekday * trend * dayNoise[day] * spike;
  });
}

const pickPageviews = weightedPicker<number>([[1, 34], [2, 20], [3, 14], [4, 10], [5, 8], [6, 6], [7, 4], [8, 4]]);

interface SiteState {
  site: TrafficSite;
  index: number;
  /** Cumulative event budget at the end of each hour. */
  cumulative: Float64Array;
  generated: number;
  visitors: number;
  bots: number;
  pending: { t: number; e: NativeEvent }[];
}

/**
 * Every site's events over [end - days, end), in time order, grouped per key into batches of
 * `batchSize`. Lazy: a batch is built when asked for.
 */
export function* trafficBatches(sites: readonly TrafficSite[], opts: { end: number; days: number; seed: number; batchSize: number }): Generator<TrafficBatch> {
  const rand = prng(opts.seed);
  const hours = opts.days * 24;
  const start = opts.end - hours * HOUR_MS;
  const weights = hourWeights(start, hours, rand);
  const total = weights.reduce((a, b) => a + b, 0);
  const states: SiteState[] = sites.map((site, index) => {
    const cumulative = new Float64Array(hours);
    let acc = 0;
    weights.forEach((w, i) => (cumulative[i] = (acc += (w / total) * site.events)));
    cumulative[hours - 1] = site.events;
    return { site, index, cumulative, generated: 0, visitors: 0, bots: 0, pending: [] };
  });
  const buffers = new Map<number, NativeEvent[]>();

  for (let h = 0; h < hours; h++) {
    const sliceStart = start + h * HOUR_MS;
    const sliceEnd = sliceStart + HOUR_MS;
    for (const s of states) {
      while (s.generated < s.cumulative[h]) visit(s, sliceStart + rand() * HOUR_MS, opts.end, rand);
      // Emit what happened before the end of this hour; later events of running visits wait.
      const last = h === hours - 1;
      s.pending.sort((a, b) => a.t - b.t);
      let n = 0;
      while (n < s.pending.length && (last || s.pending[n].t < sliceEnd)) n++;
      const ready = s.pending.splice(0, n);
      let buf = buffers.get(s.site.keyIndex);
      if (!buf) buffers.set(s.site.keyIndex, (buf = []));
      for (const p of ready) {
        buf.push(p.e);
        if (buf.length === opts.batchSize) {
          yield { keyIndex: s.site.keyIndex, body: JSON.stringify({ events: buf }), events: buf.length };
          buf.length = 0;
        }
      }
    }
  }
  for (const [keyIndex, buf] of buffers) if (buf.length) yield { keyIndex, body: JSON.stringify({ events: buf }), events: buf.length };
}

/** One visit starting at `t0`, cut at `end` and at the site's event budget. */
function visit(s: SiteState, t0: number, end: number, rand: () => number): void {
  const { site } = s;
  const budget = () => s.generated < site.events;
  const push = (t: number, e: NativeEvent) => {
    s.pending.push({ t, e });
    s.generated++;
  };
  // Crawlers: a bot visitor reads pages quickly.
  if (rand() < 0.02) {
    const who = visitor(s.index, 1_000_000_000 + Math.floor(rand() * 40), true);
    let t = t0;
    for (let i = 0, n = 3 + Math.floor(rand() * 6); i < n && t < end && budget(); i++, t += 1000 + rand() * 9000) {
      const path = pathIn(nextArea.landing(rand()), rand());
      push(t, base(site, who, t, 'pageview', path, undefined));
    }
    return;
  }
  const returning = s.visitors > 0 && rand() >= 0.45;
  // Returning visitors: older and more loyal visitors come back more often.
  const n = returning ? Math.floor((1 - Math.sqrt(rand())) * s.visitors) : s.visitors++;
  const who = visitor(s.index, n, false);
  const source = pickSource(rand())(rand());
  const campaign = rand() < 0.12 ? pickCampaign(rand()) : null;
  const utm = campaign ? { utm_source: campaign.source, utm_medium: campaign.medium, utm_campaign: campaign.campaign(rand()) } : null;
  let area = nextArea.landing(rand());
  let t = t0;
  let previous: string | undefined = source;
  for (let i = 0, pageviews = pickPageviews(rand()); i < pageviews && t < end && budget(); i++) {
    const path = pathIn(area, rand());
    const query = i === 0 && utm ? `?utm_source=${utm.utm_source}&utm_medium=${utm.utm_medium}&utm_campaign=${utm.utm_campaign}` : '';
    const pv = base(site, who, t, 'pageview', path + query, previous);
    pv.title = `${TITLES[area]} | ${site.host}`;
    if (i === 0 && utm) Object.assign(pv, utm);
    push(t, pv);
    let next = t + 5_000 + Math.min(MAX_GAP_MS - 60_000, -Math.log(1 - rand()) * 100_000);
    for (const c of CUSTOM[areaOf(path)]) {
      if (rand() >= c.p * CUSTOM_SCALE) continue;
      const at = t + 1_000 + rand() * 40_000;
      if (at >= end || !budget()) break;
      const ev = base(site, who, at, 'custom', path, previous);
      ev.name = c.name;
      ev.props = c.props(rand);
      push(at, ev);
      next = Math.max(next, at + 2_000);
    }
    previous = `https://${site.host}${path}`;
    area = nextArea[area](rand());
    t = next;
  }
}

function base(site: TrafficSite, who: Visitor, t: number, type: 'pageview' | 'custom', pathAndQuery: string, referrer: string | undefined): NativeEvent {
  const e: NativeEvent = {
    website_id: site.websiteId,
    type,
    url: `https://${site.host}${pathAndQuery}`,
    visitor_id: who.id,
    user_agent: who.ua,
    ip_address: who.ip,
    language: who.language,
    screen: who.screen,
    timestamp: new Date(Math.floor(t)).toISOString(),
  };
  if (referrer) e.referrer = referrer;
  return e;
}

/** Live traffic of the last minutes, for the realtime endpoint. */
export function liveEvents(site: TrafficSite, count: number, now: number, seed: number): NativeEvent[] {
  const rand = prng(seed);
  const out: NativeEvent[] = [];
  for (let i = 0; i < count; i++) {
    const who = visitor(0, 2_000_000_000 + Math.floor(rand() * (count / 3)), false);
    const t = now - rand() * 4 * MINUTE_MS;
    out.push(base(site, who, t, 'pageview', pathIn(nextArea.landing(rand()), rand()), pickSource(rand())(rand())));
  }
  return out.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}
