import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The OpenAPI security of a route that takes no credential: `security: []`. The document builder
 * drops empty lists, so the route is marked with the empty requirement ({}) until publicSecurity.
 */
export const ApiNoAuth = () => ApiSecurity({});

/** A route that takes a bearer credential when one is sent and works without one: `[{bearer: []}, {}]`. */
export const ApiBearerOrNoAuth = () => applyDecorators(ApiBearerAuth(), ApiSecurity({}));

/** Turns the marks of ApiNoAuth into `security: []`, what linters and generated clients read as public. */
export function publicSecurity(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item)) {
      const security = (op as { security?: unknown[] } | undefined)?.security;
      if (Array.isArray(security) && security.length === 1 && Object.keys(security[0] as object).length === 0) security.length = 0;
    }
  }
  return document;
}
