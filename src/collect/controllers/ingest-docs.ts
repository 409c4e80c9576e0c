import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** Body limit of server-side ingestion routes (Sparklytics' is its own 100 KB). */
export const SERVER_BODY_LIMIT = 1_048_576;

export const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'Single-event requests: a retry with the same key within 7 days stores nothing new and gets the first answer. ' +
    'Batches use each event\'s event_id instead.',
};

/** Dialect schemas are `as const` JSON Schema for ajv; OpenAPI decorators want mutable objects. */
export function doc(schema: object): SchemaObject {
  return schema as SchemaObject;
}
