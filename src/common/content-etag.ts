import { createHash } from 'node:crypto';

/** A strong ETag of a file's content, so a cached copy is revalidated to 304 until the file changes. */
export const contentEtag = (body: string | Buffer): string => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
