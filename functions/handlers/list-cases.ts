import { processingLog, repository } from '../adapters/repository';
import { request } from '../contract/list-cases';
import { providerOf, serviceOfProvider } from '../domain/access';
import { listCases } from '../domain/case-list';
import { systemClock } from '../domain/clock';
import { casesScope, openCursor, sealCursor } from '../shared/cursor';
import { httpRoute, json } from '../shared/http';
import { traceOf } from '../shared/trace';
import { vault } from '../shared/vault';

// GET /cases?serviceId=&status=&limit=&cursor=: the caller's organisation only, newest first. The
// cursor is sealed with a key derived from the PII secret and bound to this query (shared/cursor.ts).
// The references shown are personal data: each case's read is in its processing log.

const deps = { repo: repository, log: processingLog, clock: systemClock, vault };

export const handler = httpRoute(request, async ({ query, claims }, event) => {
  const provider = providerOf(claims);
  serviceOfProvider(query.serviceId, provider, 'query.serviceId');
  const scope = casesScope(provider.org, query.serviceId, query.status);
  const page = await listCases(
    deps,
    { provider, trace: traceOf(event.headers) },
    {
      org: provider.org,
      serviceId: query.serviceId,
      limit: query.limit === undefined ? 25 : Number(query.limit),
      ...(query.status && { status: query.status }),
      ...(query.cursor !== undefined && { after: openCursor(vault, scope, query.cursor) }),
    },
  );
  const cursor = page.next && sealCursor(vault, scope, page.next);
  return json(200, { items: page.items, ...(cursor && { cursor }) });
});
