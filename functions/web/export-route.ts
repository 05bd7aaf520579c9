import { citizenOnly } from '../delegation/link-access';
import { caseExport } from '../privacy/case-export';
import { type HttpResult, json } from '../shared/http';
import type { CitizenInput, CitizenWebDeps } from './deps';
import { loadCase } from './link-case';

// GET /c/{linkToken}/export: everything the case holds about the citizen, as a JSON download. The
// citizen's own right of access: a helper's link cannot export, and the export is in the case's log.

export const EXPORT_ROUTE = 'GET /c/{linkToken}/export';

export async function exportCase(deps: CitizenWebDeps, input: CitizenInput): Promise<HttpResult> {
  // The whole processing log: a view holds only its newest records.
  const { view, link, service } = await loadCase(deps, input.path.linkToken ?? '', 'all');
  citizenOnly(link.asker);
  const now = deps.clock.now();
  const body = caseExport(service, view, deps.vault, now);
  await deps.repo.appendEvent({
    caseId: view.case.caseId,
    at: now.toISOString(),
    type: 'DATA_EXPORTED',
    actor: 'citizen',
  });
  const file = `${service.id}-${view.case.caseId.slice(0, 8)}.json`;
  return json(200, body, { 'content-disposition': `attachment; filename="${file}"` });
}
