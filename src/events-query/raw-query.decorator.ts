import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/**
 * The query string as Fastify parsed it, untouched by validation (which drops unknown keys):
 * filter[<dimension>] keys arrive literally, repeated keys as arrays.
 */
export const RawQuery = createParamDecorator((_: unknown, ctx: ExecutionContext): Record<string, unknown> => {
  return ctx.switchToHttp().getRequest().query ?? {};
});
