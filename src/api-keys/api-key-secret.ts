import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every Footfall key starts with this, so a key is recognisable in logs and by secret scanners. */
export const KEY_PREFIX = 'ff_live_';

/** A new key: 32 random bytes (256 bits) in base64url after the prefix. */
export function generateApiKey(): { key: string; prefix: string; hash: Buffer } {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, prefix: key.slice(0, KEY_PREFIX.length + 6), hash: hashApiKey(key) };
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(KEY_PREFIX);
}

/** Constant-time comparison of a stored hash with the hash of a presented key. */
export function hashesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
