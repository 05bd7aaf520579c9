import { openApiDocument } from '../contract/document';
import { request } from '../contract/openapi';
import { httpRoute, json } from '../shared/http';
import { publicUrl } from '../shared/settings';

// GET /openapi.json: the published contract, generated from the request schemas the handlers parse
// (functions/contract/). A function of its own: zod's JSON Schema generator and every route's schema
// stay out of the bundles (and the cold starts) of the functions that serve the routes. Built on the
// first request and kept for the container's life.

let document: unknown;

export const handler = httpRoute(request, async () => {
  document ??= openApiDocument(publicUrl);
  return json(200, document, { 'cache-control': 'public, max-age=300' });
});
