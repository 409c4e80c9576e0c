declare const __SHARED_LINKS__: boolean;

/** Whether the API document the client was built from has the shared-link routes (set at build). */
export const SHARED_LINKS = __SHARED_LINKS__;
