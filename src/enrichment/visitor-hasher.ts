import { hash } from 'node:crypto';
import { Injectable } from '@nestjs/common';

export interface VisitorHashInput {
  /** Daily rotating secret; rotating it is what stops a visitor being followed across days. */
  salt: string;
  websiteId: string;
  ip: string | null;
  userAgent: string | null;
}

/** Hex characters kept from the sha256 digest (64 bits: collisions are negligible per site and day). */
export const VISITOR_ID_LENGTH = 16;

/**
 * Cookieless visitor id: sha256 over salt, website, IP and user agent, first 16 hex characters.
 * Each part is length-prefixed, so no choice of values can make two different inputs hash alike.
 */
export function hashVisitor(input: VisitorHashInput): string {
  let message = '';
  for (const part of [input.salt, input.websiteId, input.ip ?? '', input.userAgent ?? '']) {
    message += `${Buffer.byteLength(part)}:${part}`;
  }
  // One-shot crypto.hash is about twice as fast as createHash().update().digest().
  return hash('sha256', message, 'hex').slice(0, VISITOR_ID_LENGTH);
}

/** Injectable face of hashVisitor; a client-supplied visitor id wins over the hash. */
@Injectable()
export class VisitorHasher {
  hash(input: VisitorHashInput): string {
    return hashVisitor(input);
  }

  visitorId(clientVisitorId: string | null, input: VisitorHashInput): string {
    return clientVisitorId ?? hashVisitor(input);
  }
}
