import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Paths = paths;
export type Schemas = components['schemas'];
export type Api = Client<Paths>;

/** A failed call, with the server's message (Footfall's `message`, or the v2 route's `error`). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * A client of Footfall's own API, typed from openapi.json. `token` is read at each request (a
 * user's access token, or a shared link's); `onUnauthorized` runs on a 401 (an expired session).
 */
export function apiClient(token: () => string | null, onUnauthorized: () => void = () => undefined): Api {
  const client = createClient<Paths>({ baseUrl: location.origin });
  client.use({
    onRequest({ request }) {
      const value = token();
      if (value && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${value}`);
      return request;
    },
    onResponse({ response, request }) {
      if (response.status === 401 && request.headers.has('Authorization')) onUnauthorized();
      return response;
    },
  });
  return client;
}

type Result<T> = { data?: T; error?: unknown; response: Response };

function messageOf(error: unknown, status: number): string {
  if (error && typeof error === 'object') {
    const body = error as { message?: unknown; error?: unknown };
    if (Array.isArray(body.message)) return body.message.join('; ');
    if (typeof body.message === 'string') return body.message;
    if (typeof body.error === 'string') return body.error;
  }
  return `The server answered ${status}`;
}

/** The data of a successful call, else an ApiError. */
export async function must<T>(call: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, messageOf(error, response.status));
  return data as T;
}
