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

/**
 * A dialect's JSON Schema (`as const`, for ajv) as an OpenAPI 3.0 schema: a copy without
 * propertyNames, which 3.0 lacks, its key length told in the description instead.
 */
export function doc(schema: object): SchemaObject {
  return openApi30Schema(schema) as SchemaObject;
}

function openApi30Schema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openApi30Schema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    // The keys of properties are field names, not keywords: only their schemas are converted.
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as object).map(([name, s]) => [name, openApi30Schema(s)]));
    else if (k !== 'propertyNames') out[k] = openApi30Schema(v);
  }
  const maxLength = (schema as { propertyNames?: { maxLength?: number } }).propertyNames?.maxLength;
  if (maxLength !== undefined) out.description = [out.description, `Keys are at most ${maxLength} characters.`].filter(Boolean).join(' ');
  return out;
}
