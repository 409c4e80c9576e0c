import { isIP } from 'node:net';

const V4_MAPPED = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

/**
 * A valid IP address in canonical-enough form, or null. IPv4-mapped IPv6 (::ffff:1.2.3.4, what a
 * dual-stack socket reports) becomes plain IPv4 so it hashes and geolocates like the IPv4 address.
 */
export function normalizeIp(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  let ip = value.trim();
  if (ip.length === 0 || ip.length > 64) return null;
  if (ip.includes(':')) {
    const mapped = V4_MAPPED.exec(ip);
    if (mapped) ip = mapped[1];
    else {
      const zone = ip.indexOf('%');
      if (zone !== -1) ip = ip.slice(0, zone);
      ip = ip.toLowerCase();
    }
  }
  return isIP(ip) === 0 ? null : ip;
}
