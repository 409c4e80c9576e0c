import { randomBytes } from 'node:crypto';

const ID_ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A short, url-safe, unguessable id (12 chars, ~70 bits) for websites and their goals. */
export function newPublicId(length = 12): string {
  const bytes = randomBytes(length * 2);
  let id = '';
  // Rejection sampling keeps every character equally likely.
  for (let i = 0; i < bytes.length && id.length < length; i++) {
    const b = bytes[i];
    if (b < 256 - (256 % ID_ALPHABET.length)) id += ID_ALPHABET[b % ID_ALPHABET.length];
  }
  return id.length === length ? id : newPublicId(length);
}
