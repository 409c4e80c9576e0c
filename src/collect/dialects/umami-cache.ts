import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `cache` token of Umami's collection API, which its clients send back in x-umami-cache: the
 * visitor id Footfall gave them, for one website and one UTC day (the day of the visitor-id salt),
 * signed with a key of the server's. A valid token keeps the visitor, and so the visit, when the
 * client's address changes mid-visit (a phone between networks); anything else is ignored.
 */
export interface UmamiCacheState {
  websiteId: string;
  visitorId: string;
  /** Unix seconds when the token was issued. */
  issuedAt: number;
}

/** Longer headers are not a token of ours; nothing longer is decoded or verified. */
const MAX_TOKEN_LENGTH = 1024;

/** The signing key, derived from the server's secret (JWT_SECRET) for this use only. */
export function umamiCacheKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('footfall: umami x-umami-cache token').digest();
}

const mac = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest();

export function signUmamiCache(key: Buffer, state: UmamiCacheState): string {
  const body = Buffer.from(JSON.stringify({ w: state.websiteId, v: state.visitorId, t: state.issuedAt })).toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

const utcDay = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().slice(0, 10);

/** The token's state when it is ours, unaltered, for this website and issued today (UTC); else null. Never throws. */
export function readUmamiCache(key: Buffer, token: string | null | undefined, websiteId: string, now: Date): UmamiCacheState | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const body = token.slice(0, dot);
  const signature = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(key, body);
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const { w, v, t } = (claims ?? {}) as { w?: unknown; v?: unknown; t?: unknown };
  if (typeof w !== 'string' || typeof v !== 'string' || typeof t !== 'number' || !Number.isSafeInteger(t)) return null;
  if (w !== websiteId || utcDay(t) !== now.toISOString().slice(0, 10)) return null;
  return { websiteId: w, visitorId: v, issuedAt: t };
}

/** Umami's sessionId: the visitor as a UUID (name-based, from the website and visitor id). */
export function umamiSessionId(websiteId: string, visitorId: string): string {
  const h = createHash('sha256').update(`${websiteId}\u0000${visitorId}`).digest();
  h[6] = (h[6] & 0x0f) | 0x80; // version 8: a custom, hash-based UUID
  h[8] = (h[8] & 0x3f) | 0x80; // RFC 9562 variant
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
