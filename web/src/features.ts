declare const __SHARED_LINKS__: boolean;

/** Whether the client's generated types (from openapi.json) have the shared-link routes (set at build). */
export const SHARED_LINKS = __SHARED_LINKS__;
