import { randomBytes } from 'node:crypto';

/** 32 random bytes (256 bits) in base64url: 43 characters, safe in a URL path. */
export function newShareToken(): string {
  return randomBytes(32).toString('base64url');
}

export function looksLikeShareToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** The dashboard page of a link (served by the web app). */
export function sharePath(token: string): string {
  return `/share/${token}`;
}
