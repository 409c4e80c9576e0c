import { domainToASCII } from 'node:url';
import { normalizeDomain } from '../websites/website-fields';

const WILDCARD = '*.';

/** Lower case, no trailing dot, international names in their ASCII (punycode) form, as URLs give them. */
function asciiHostname(host: string): string {
  const lower = host.toLowerCase().replace(/\.$/, '');
  return /[^\x21-\x7e]/.test(lower) ? domainToASCII(lower) : lower;
}

/**
 * An allowed hostname as stored: `example.com`, or `*.example.com` for any subdomain of it (at any
 * depth, not example.com itself). A URL is reduced to its hostname, as a website's domain is.
 */
export function normalizeHostnameEntry(text: string): { hostname: string } | { error: string } {
  const trimmed = text.trim();
  const wildcard = trimmed.startsWith(WILDCARD);
  const rest = wildcard ? trimmed.slice(WILDCARD.length) : trimmed;
  if (rest.includes('*')) return { error: 'may hold * only as its first label, as in *.example.com' };
  const host = rest ? normalizeDomain(rest.includes('://') ? rest : asciiHostname(rest)) : null;
  if (host === null) return { error: 'must be a hostname such as example.com or *.example.com' };
  return { hostname: wildcard ? WILDCARD + host : host };
}

/** Allowed hostnames, answering whether an event's hostname is one of them: a lookup per label. */
export class HostnameAllowList {
  private readonly exact = new Set<string>();
  /** The parents whose every subdomain is allowed (example.com for *.example.com). */
  private readonly parents = new Set<string>();

  constructor(entries: string[]) {
    for (const e of entries) {
      if (e.startsWith(WILDCARD)) this.parents.add(e.slice(WILDCARD.length));
      else this.exact.add(e);
    }
  }

  allows(hostname: string): boolean {
    const host = asciiHostname(hostname);
    if (this.exact.has(host)) return true;
    for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
      if (this.parents.has(host.slice(dot + 1))) return true;
    }
    return false;
  }
}
