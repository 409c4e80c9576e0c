import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { filterParams, FilterParams } from './query/filters';

/**
 * The filter[<dimension>] parameters of the query string as Fastify parsed it (validation drops
 * unknown keys, so the DTOs cannot carry them): keys arrive literally, repeated keys as arrays.
 */
export const Filters = createParamDecorator((_: unknown, ctx: ExecutionContext): FilterParams => filterParams(ctx.switchToHttp().getRequest().query));
