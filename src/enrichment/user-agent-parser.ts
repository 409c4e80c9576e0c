import { Injectable } from '@nestjs/common';
import { isbot } from 'isbot';
import UAParser from 'ua-parser-js';
import { DeviceType, UserAgentInfo } from './enriched-event';
import { LruCache } from './lru-cache';
import { cleanText, MAX_LENGTH } from './text';

/** ua-parser-js ignores everything past 500 characters, so longer keys would only bloat the cache. */
const MAX_UA_LENGTH = 500;
const UA_CACHE_SIZE = 5000;

/** Automation that isbot may not flag: headless browsers and HTTP client libraries. */
const AUTOMATION =
  /headless|phantomjs|puppeteer|playwright|selenium|webdriver|^curl\/|wget|python-|python\/|aiohttp|httpx|go-http-client|okhttp|^java\/|apache-httpclient|axios\/|node-fetch|undici|^got |libwww-perl|guzzlehttp|postmanruntime|insomnia|dart:io/i;

/** OS names (lower case) that mean a desktop computer when ua-parser reports no device type. */
const DESKTOP_OS = new Set([
  'windows', 'mac os', 'macos', 'chromium os', 'chrome os', 'linux', 'ubuntu', 'kubuntu', 'xubuntu',
  'lubuntu', 'debian', 'fedora', 'mint', 'arch', 'centos', 'redhat', 'red hat', 'suse', 'opensuse',
  'gentoo', 'slackware', 'mandriva', 'mageia', 'manjaro', 'deepin', 'elementary os', 'zenwalk',
  'pclinuxos', 'vectorlinux', 'linpus', 'knoppix', 'gnu', 'hurd', 'freebsd', 'openbsd', 'netbsd',
  'dragonfly', 'pc-bsd', 'ghostbsd', 'solaris', 'unix', 'haiku', 'beos', 'os/2', 'aix', 'morphos',
  'amiga os', 'risc os', 'openvms', 'hp-ux', 'serenityos', 'plan9', 'minix',
]);

const DEVICE_TYPES: Readonly<Record<string, DeviceType>> = {
  mobile: 'mobile',
  tablet: 'tablet',
  smarttv: 'tv',
  console: 'console',
  wearable: 'wearable',
  embedded: 'embedded',
};

const NO_USER_AGENT: UserAgentInfo = Object.freeze({
  browser: null,
  browserVersion: null,
  os: null,
  osVersion: null,
  deviceType: 'unknown',
  isBot: false,
});

/** True for crawlers, headless browsers and HTTP libraries; false for an absent user agent. */
export function isAutomatedAgent(userAgent: string): boolean {
  return userAgent.length > 0 && (isbot(userAgent) || AUTOMATION.test(userAgent));
}

/** User agent -> browser, OS, device class and bot flag. Results are cached: the same strings recur constantly. */
@Injectable()
export class UserAgentParser {
  private readonly cache = new LruCache<string, UserAgentInfo>(UA_CACHE_SIZE);

  /** Never throws. An absent or empty user agent is a human visit with nothing known (server-side calls send none). */
  parse(userAgent: string | null | undefined): UserAgentInfo {
    if (typeof userAgent !== 'string') return NO_USER_AGENT;
    const key = (userAgent.length > MAX_UA_LENGTH ? userAgent.slice(0, MAX_UA_LENGTH) : userAgent).trim();
    if (key.length === 0) return NO_USER_AGENT;
    let info = this.cache.get(key);
    if (info === undefined) {
      info = parseUncached(key);
      this.cache.set(key, info);
    }
    return info;
  }
}

function parseUncached(userAgent: string): UserAgentInfo {
  try {
    const result = UAParser(userAgent);
    const isBot = isAutomatedAgent(userAgent);
    const os = cleanText(result.os.name, MAX_LENGTH.browser);
    return Object.freeze({
      browser: cleanText(result.browser.name, MAX_LENGTH.browser),
      browserVersion: cleanText(result.browser.version, MAX_LENGTH.version),
      os,
      osVersion: cleanText(result.os.version, MAX_LENGTH.version),
      deviceType: isBot ? 'bot' : deviceTypeOf(result.device.type, os),
      isBot,
    });
  } catch {
    return NO_USER_AGENT;
  }
}

function deviceTypeOf(parsedType: string | undefined, os: string | null): DeviceType {
  if (parsedType !== undefined) return DEVICE_TYPES[parsedType] ?? 'unknown';
  return os !== null && DESKTOP_OS.has(os.toLowerCase()) ? 'desktop' : 'unknown';
}
