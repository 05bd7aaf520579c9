import { processingLog, repository } from '../adapters/repository';
import { request } from '../contract/case-processing';
import { providerOf } from '../domain/access';
import { staffProcessingPage } from '../domain/processing-pages';
import { openCursor, processingScope, sealCursor } from '../shared/cursor';
import { httpRoute, json } from '../shared/http';
import { vault } from '../shared/vault';

// GET /cases/{caseId}/processing?cursor=: the case's whole processing log, newest first, 100 lines a page
// (domain/processing-pages.ts); GET /cases/{caseId} holds only the newest. The cursor is sealed to this
// case's log (shared/cursor.ts).

const deps = { repo: repository, log: processingLog };

export const handler = httpRoute(request, async ({ path, query, claims }) => {
  const scope = processingScope(path.caseId);
  const before = query.cursor === undefined ? undefined : openCursor(vault, scope, query.cursor);
  const page = await staffProcessingPage(deps, providerOf(claims), path.caseId, before);
  const cursor = page.older && sealCursor(vault, scope, page.older);
  return json(200, { items: page.entries, ...(cursor && { cursor }) });
});
