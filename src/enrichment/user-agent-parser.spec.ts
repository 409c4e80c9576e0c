import { isAutomatedAgent, UserAgentParser } from './user-agent-parser';

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const IPAD_SAFARI =
  'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1';
const MAC_SAFARI =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';
const LINUX_FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';
const SAMSUNG_TV =
  'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36';
const PLAYSTATION = 'Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const HEADLESS_CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36';

describe('UserAgentParser', () => {
  const parser = new UserAgentParser();

  it('reads Chrome on Windows as a desktop browser', () => {
    expect(parser.parse(CHROME_WINDOWS)).toEqual({
      browser: 'Chrome',
      browserVersion: '124.0.0.0',
      os: 'Windows',
      osVersion: '10',
      deviceType: 'desktop',
      isBot: false,
    });
  });

  it.each([
    ['iPhone Safari', IPHONE_SAFARI, 'mobile', 'iOS'],
    ['iPad Safari', IPAD_SAFARI, 'tablet', 'iOS'],
    ['Android Chrome', ANDROID_CHROME, 'mobile', 'Android'],
    ['Safari on a Mac', MAC_SAFARI, 'desktop', 'Mac OS'],
    ['Firefox on Linux', LINUX_FIREFOX, 'desktop', 'Linux'],
    ['a Samsung smart TV', SAMSUNG_TV, 'tv', 'Tizen'],
    ['a PlayStation', PLAYSTATION, 'console', 'PlayStation'],
  ])('classifies %s', (_label, ua, deviceType, os) => {
    const info = parser.parse(ua);
    expect(info.deviceType).toBe(deviceType);
    expect(info.os).toBe(os);
    expect(info.isBot).toBe(false);
  });

  it('flags Googlebot as a bot', () => {
    expect(parser.parse(GOOGLEBOT)).toMatchObject({ isBot: true, deviceType: 'bot' });
  });

  it.each([HEADLESS_CHROME, 'curl/8.5.0', 'python-requests/2.31.0', 'Go-http-client/1.1', 'Wget/1.21.4', 'axios/1.6.8', 'okhttp/4.12.0'])(
    'flags automation %s as a bot',
    (ua) => {
      expect(parser.parse(ua)).toMatchObject({ isBot: true, deviceType: 'bot' });
    },
  );

  it.each([undefined, null, '', '   '])('treats an absent user agent (%p) as a human with nothing known', (ua) => {
    expect(parser.parse(ua)).toEqual({
      browser: null,
      browserVersion: null,
      os: null,
      osVersion: null,
      deviceType: 'unknown',
      isBot: false,
    });
    expect(isAutomatedAgent('')).toBe(false);
  });

  it('copes with garbage and very long strings', () => {
    expect(parser.parse('\u0000\u0001 ???').deviceType).toBeDefined();
    const long = CHROME_WINDOWS + 'x'.repeat(100_000);
    expect(parser.parse(long).browser).toBe('Chrome');
  });

  it('answers repeated user agents from the cache with the same result', () => {
    const first = parser.parse(IPHONE_SAFARI);
    expect(parser.parse(IPHONE_SAFARI)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});
