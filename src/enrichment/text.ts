/** Upper bounds for stored strings: generous for real data, small enough to stop abuse. */
export const MAX_LENGTH = {
  name: 200,
  title: 500,
  hostname: 253,
  path: 2000,
  query: 2000,
  referrer: 2000,
  utm: 100,
  browser: 64,
  version: 32,
  language: 64,
  screen: 32,
  id: 256,
} as const;

/**
 * A trimmed string cut to `max` characters, or null when the value is not a non-empty string.
 * NUL characters are removed because Postgres text columns reject them, and a lone half of a
 * surrogate pair (not encodable in UTF-8) becomes U+FFFD here rather than somewhere on the way.
 */
export function cleanText(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  let text = value.includes('\u0000') ? value.replace(/\u0000/g, '') : value;
  if (!text.isWellFormed()) text = text.toWellFormed();
  text = text.trim();
  if (text.length === 0) return null;
  if (text.length > max) {
    text = text.slice(0, max);
    // Do not leave half of a surrogate pair at the cut.
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) text = text.slice(0, -1);
  }
  return text;
}
