import { applyDecorators } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.guard';
import { ApiBearerOrNoAuth, ApiNoAuth } from '../common/api-security';
import { AppConfig } from '../config/config';
import { Dialect } from './dialects/dialect';
import { WireReply } from './ingest-error';

export type DialectName = 'sparklytics' | 'ovyxa' | 'rybbit' | 'webanalyzer' | 'native' | 'plausible' | 'umami';

/**
 * Which credential a route takes: none (browsers, the website id in the body), an API key, an API
 * key or a user's access token (member or above), or an API key when the request has an
 * Authorization header and none otherwise (a public collect).
 */
export type CredentialRule = 'none' | 'api-key' | 'api-key-or-user' | 'api-key-or-none';

/**
 * A route's request limit (the limit itself is the setting `setting` of AppConfig.limits; 0 turns
 * it off). One rule per route, counted one of two ways:
 * - `client-ip`: every request per client IP, as it arrives, before its body is read: a refused one
 *   costs no parsing, and every answer (errors included) carries X-RateLimit-*.
 * - `sender`: per credential (API key or user) once the events' websites are known to be its own;
 *   a request without a credential is counted per client IP before its body is parsed.
 */
export interface RateLimitRule {
  /** Names the counts in the limit store. */
  name: string;
  setting: keyof AppConfig['limits'];
  windowMs: number;
  per: 'client-ip' | 'sender';
  /** Count each event instead of each request (sender limits only). */
  countEvents?: boolean;
}

/** An ingestion route, as its controller declares it with @IngestRoute. */
export interface IngestRouteDeclaration {
  dialect: Dialect;
  /** Largest request body in bytes, answered 413 in the dialect's format beyond. */
  bodyLimit: number;
  credential: CredentialRule;
  /** Where the API key is besides Authorization: Bearer (Rybbit's body api_key); null when absent. */
  tokenOf?: (body: unknown, authorization: string | string[] | undefined) => string | null;
  rateLimit?: RateLimitRule;
  /** A request whose events are all a bot's, or carry no User-Agent, stores nothing (IngestOptions.skipBots). */
  skipBots?: boolean;
}

/** Fastify route config of an ingestion route: its declaration, and its dialect's name. */
export interface IngestRouteConfig extends IngestRouteDeclaration {
  ingest: DialectName;
}

/**
 * Declares an ingestion route: public to the auth guard (the route authenticates in its own
 * dialect), with its dialect, body limit, credential and rate limit in the route's config, where
 * the body parsers, the rate-limit hook, the exception filter and IngestEndpoint read them. Its
 * OpenAPI security follows from the credential rule, so the document cannot say otherwise.
 */
export function IngestRoute(declaration: IngestRouteDeclaration): MethodDecorator {
  const config: IngestRouteConfig = { ...declaration, ingest: declaration.dialect.name };
  return applyDecorators(Public(), RouteConfig(config), documentedSecurity(declaration));
}

/** The OpenAPI security of a credential rule; a key that may come in the body (Rybbit's api_key) makes the header optional. */
function documentedSecurity({ credential, tokenOf }: IngestRouteDeclaration): MethodDecorator {
  if (credential === 'none') return ApiNoAuth();
  if (credential === 'api-key-or-none' || tokenOf) return ApiBearerOrNoAuth();
  return ApiBearerAuth();
}

export function ingestRouteOf(req: FastifyRequest): IngestRouteConfig | null {
  const config = (req.routeOptions?.config ?? {}) as Partial<IngestRouteConfig>;
  return config.ingest ? (config as IngestRouteConfig) : null;
}

/** Sends a dialect's wire reply. */
export function sendWire(reply: FastifyReply, wire: WireReply): void {
  if (wire.headers) reply.headers(wire.headers);
  reply.status(wire.status).send(wire.body);
}

export function header(req: FastifyRequest, name: string): string | null {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}
