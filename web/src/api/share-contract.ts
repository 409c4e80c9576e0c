/**
 * The shared-link routes, typed by hand in openapi-typescript's shape until they are part of
 * openapi.json (the generated `paths` then has them, and this file goes).
 */
export interface SharedLink {
  id: string;
  label: string | null;
  token: string;
  url: string;
  has_password: boolean;
  created_at: string;
}

export interface ShareSession {
  access_token: string;
  expires_in: number;
  website: { id: string; name: string; domain: string; timezone: string };
}

type Json<T> = { content: { 'application/json': T } };
type ErrorBody = Json<{ statusCode?: number; error?: string; message?: string | string[] }>;

export interface SharePaths {
  '/api/share/{token}/session': {
    parameters: { query?: never; header?: never; path: { token: string }; cookie?: never };
    get?: never; put?: never; delete?: never; options?: never; head?: never; patch?: never; trace?: never;
    post: {
      parameters: { query?: never; header?: never; path: { token: string }; cookie?: never };
      requestBody?: Json<{ password?: string }>;
      responses: { 200: { headers: Record<string, unknown> } & Json<ShareSession>; 201: { headers: Record<string, unknown> } & Json<ShareSession>; 401: { headers: Record<string, unknown> } & ErrorBody; 404: { headers: Record<string, unknown> } & ErrorBody };
    };
  };
  '/api/websites/{id}/shared-links': {
    parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
    put?: never; delete?: never; options?: never; head?: never; patch?: never; trace?: never;
    get: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: { 200: { headers: Record<string, unknown> } & Json<{ data: SharedLink[] } | SharedLink[]>; 404: { headers: Record<string, unknown> } & ErrorBody };
    };
    post: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody: Json<{ label?: string; password?: string }>;
      responses: { 201: { headers: Record<string, unknown> } & Json<SharedLink>; 400: { headers: Record<string, unknown> } & ErrorBody };
    };
  };
  '/api/websites/{id}/shared-links/{link_id}': {
    parameters: { query?: never; header?: never; path: { id: string; link_id: string }; cookie?: never };
    get?: never; put?: never; post?: never; options?: never; head?: never; patch?: never; trace?: never;
    delete: {
      parameters: { query?: never; header?: never; path: { id: string; link_id: string }; cookie?: never };
      requestBody?: never;
      responses: { 204: { headers: Record<string, unknown>; content?: never }; 404: { headers: Record<string, unknown> } & ErrorBody };
    };
  };
}
