import { CanonicalEvent, emptyEvent } from '../collect/canonical-event';
import { pageLocation, parsePage, referrerDomain, utmParams } from './page-parser';

function pageview(fields: Partial<CanonicalEvent>): CanonicalEvent {
  return { ...emptyEvent('site1', 'pageview'), ...fields };
}

describe('pageLocation', () => {
  it('splits a full url into lower-case host, path and query', () => {
    expect(pageLocation(pageview({ url: 'https://Shop.Example.com/Pricing/Plans?plan=pro&x=1#faq' }))).toEqual({
      hostname: 'shop.example.com',
      path: '/Pricing/Plans',
      query: 'plan=pro&x=1',
    });
  });

  it("defaults the path to '/' and the query to null", () => {
    expect(pageLocation(pageview({ url: 'https://example.com' }))).toEqual({ hostname: 'example.com', path: '/', query: null });
    expect(pageLocation(pageview({ url: 'https://example.com/?' }))).toEqual({ hostname: 'example.com', path: '/', query: null });
  });

  it('accepts a url without a scheme and a path-only url', () => {
    expect(pageLocation(pageview({ url: 'example.com/blog?a=1' }))).toEqual({ hostname: 'example.com', path: '/blog', query: 'a=1' });
    expect(pageLocation(pageview({ url: '/blog?a=1', hostname: 'example.com' }))).toEqual({
      hostname: 'example.com',
      path: '/blog',
      query: 'a=1',
    });
    expect(pageLocation(pageview({ url: 'localhost:3000/x' }))).toEqual({ hostname: 'localhost', path: '/x', query: null });
  });

  it('uses the parts when there is no url (Rybbit)', () => {
    expect(pageLocation(pageview({ hostname: 'WWW.Example.com', pathname: '/docs', querystring: '?q=1' }))).toEqual({
      hostname: 'www.example.com',
      path: '/docs',
      query: 'q=1',
    });
    expect(pageLocation(pageview({ hostname: 'example.com:8080' }))).toEqual({ hostname: 'example.com', path: '/', query: null });
    expect(pageLocation(pageview({ pathname: 'docs' }))).toEqual({ hostname: null, path: '/docs', query: null });
    expect(pageLocation(pageview({}))).toEqual({ hostname: null, path: null, query: null });
  });

  it.each(['http://', 'not a url', 'garbage', 'https://exa mple.com/', 'javascript:alert(1)', 'x'.repeat(10_000), '::::'])(
    'stores nothing for the garbage url %p',
    (url) => {
      expect(pageLocation(pageview({ url }))).toEqual({ hostname: null, path: null, query: null });
    },
  );
});

describe('referrerDomain', () => {
  it('strips a leading www.', () => {
    expect(referrerDomain('https://www.google.com/search?q=x', 'example.com', 'example.com')).toBe('google.com');
    expect(referrerDomain('https://news.ycombinator.com/item?id=1', 'example.com', null)).toBe('news.ycombinator.com');
  });

  it('accepts a referrer without a scheme and app referrers', () => {
    expect(referrerDomain('t.co/abc', 'example.com', null)).toBe('t.co');
    expect(referrerDomain('android-app://com.google.android.gm/', 'example.com', null)).toBe('com.google.android.gm');
  });

  it('treats the site itself as internal navigation', () => {
    expect(referrerDomain('https://example.com/a', 'example.com', null)).toBeNull();
    expect(referrerDomain('https://www.example.com/a', 'example.com', null)).toBeNull();
    expect(referrerDomain('https://example.com/a', 'www.example.com', null)).toBeNull();
    // The page host may be missing or differ (custom events); the website's domain still counts.
    expect(referrerDomain('https://www.example.com/a', null, 'example.com')).toBeNull();
    expect(referrerDomain('https://blog.example.com/a', 'example.com', 'example.com')).toBe('blog.example.com');
  });

  it.each([null, 'not a referrer', '/relative/path', 'http://', 'about:blank'])('is null for %p', (referrer) => {
    expect(referrerDomain(referrer, 'example.com', 'example.com')).toBeNull();
  });
});

describe('utmParams', () => {
  const query = 'utm_source=Newsletter&utm_medium=email&utm_campaign=spring%20sale&utm_term=+shoes+&utm_content=hero';

  it('reads utm_* from the query string', () => {
    expect(utmParams({}, query)).toEqual({ source: 'Newsletter', medium: 'email', campaign: 'spring sale', term: 'shoes', content: 'hero' });
  });

  it('prefers the body, field by field', () => {
    expect(utmParams({ source: ' twitter ', campaign: '' }, query)).toEqual({
      source: 'twitter',
      medium: 'email',
      campaign: 'spring sale',
      term: 'shoes',
      content: 'hero',
    });
  });

  it('truncates to 100 characters and tolerates absent input', () => {
    expect(utmParams({ source: 'a'.repeat(300) }, null).source).toHaveLength(100);
    expect(utmParams(undefined, null)).toEqual({ source: null, medium: null, campaign: null, term: null, content: null });
    expect(utmParams({}, 'utm_source=%E0%A4%A')).toMatchObject({ source: expect.any(String) });
  });
});

describe('parsePage', () => {
  it('puts it all together', () => {
    const event = pageview({
      url: 'https://www.example.com/landing?utm_source=google&utm_medium=cpc',
      referrer: 'https://www.bing.com/search?q=footfall',
      utm: { campaign: 'brand' },
    });
    expect(parsePage(event, 'example.com')).toEqual({
      hostname: 'www.example.com',
      path: '/landing',
      query: 'utm_source=google&utm_medium=cpc',
      referrer: 'https://www.bing.com/search?q=footfall',
      referrerDomain: 'bing.com',
      utmSource: 'google',
      utmMedium: 'cpc',
      utmCampaign: 'brand',
      utmTerm: null,
      utmContent: null,
    });
  });

  it('keeps the raw referrer of internal navigation but gives it no domain', () => {
    const page = parsePage(pageview({ url: 'https://example.com/b', referrer: 'https://example.com/a' }), 'example.com');
    expect(page.referrer).toBe('https://example.com/a');
    expect(page.referrerDomain).toBeNull();
  });

  it('reads utm from the Rybbit querystring part', () => {
    const page = parsePage(pageview({ hostname: 'example.com', pathname: '/', querystring: '?utm_source=hn' }), null);
    expect(page.utmSource).toBe('hn');
  });
});
