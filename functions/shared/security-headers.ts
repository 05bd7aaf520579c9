// The headers every response carries, and the Content-Security-Policy of every page: written once,
// for the functions' responses (shared/http.ts) and for the pages the local runtime serves itself
// (its stand-in for the managed login), so that no page of the system goes out with fewer.

export const BASE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
} as const;

/** No script, styles and images from this origin only, never framed, forms post back here only. */
export const PAGE_CSP =
  "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
