import { HostnameAllowList, normalizeHostnameEntry } from './hostnames';

describe('normalizeHostnameEntry', () => {
  it.each([
    ['example.com', 'example.com'],
    ['  WWW.Example.COM. ', 'www.example.com'],
    ['*.Example.com', '*.example.com'],
    ['https://shop.example.com:8443/cart?x=1', 'shop.example.com'],
    ['Bücher.example', 'xn--bcher-kva.example'],
    ['*.bücher.example', '*.xn--bcher-kva.example'],
    ['localhost', 'localhost'],
  ])('%j is %j', (given, expected) => {
    expect(normalizeHostnameEntry(given)).toEqual({ hostname: expected });
  });

  it.each([
    ['', 'must be a hostname such as example.com or *.example.com'],
    ['*.', 'must be a hostname such as example.com or *.example.com'],
    ['exa mple.com', 'must be a hostname such as example.com or *.example.com'],
    ['-example.com', 'must be a hostname such as example.com or *.example.com'],
    ['a'.repeat(64) + '.com', 'must be a hostname such as example.com or *.example.com'],
    ['*', 'may hold * only as its first label, as in *.example.com'],
    ['shop.*.example.com', 'may hold * only as its first label, as in *.example.com'],
    ['*example.com', 'may hold * only as its first label, as in *.example.com'],
    ['*.*.example.com', 'may hold * only as its first label, as in *.example.com'],
  ])('refuses %j', (given, error) => {
    expect(normalizeHostnameEntry(given)).toEqual({ error });
  });
});

describe('HostnameAllowList', () => {
  const list = new HostnameAllowList(['example.com', '*.example.org', 'xn--bcher-kva.example']);

  it('allows the hostnames listed, whatever their case or trailing dot', () => {
    for (const host of ['example.com', 'EXAMPLE.com', 'example.com.', 'bücher.example', 'BÜCHER.example', 'xn--bcher-kva.example']) {
      expect([host, list.allows(host)]).toEqual([host, true]);
    }
  });

  it('allows every subdomain under a wildcard, at any depth, but not the parent itself', () => {
    for (const host of ['www.example.org', 'a.b.example.org', 'WWW.Example.Org']) expect([host, list.allows(host)]).toEqual([host, true]);
    for (const host of ['example.org', 'badexample.org', 'example.org.evil.test']) expect([host, list.allows(host)]).toEqual([host, false]);
  });

  it('allows nothing else: not the www. of an exact entry, not a parent or a look-alike', () => {
    for (const host of ['www.example.com', 'com', 'example.co', 'example.com.evil.test', 'localhost']) {
      expect([host, list.allows(host)]).toEqual([host, false]);
    }
  });
});
