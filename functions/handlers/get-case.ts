import { processingLog, repository } from '../adapters/repository';
import { request } from '../contract/get-case';
import { providerOf, reaches } from '../domain/access';
import { logReads } from '../domain/case-reads';
import { systemClock } from '../domain/clock';
import { requireService } from '../domain/definitions';
import { caseStatusDto } from '../domain/status-view';
import { caseDto } from '../domain/views';
import { NotFoundError } from '../shared/errors';
import { httpRoute, json } from '../shared/http';
import { traceOf } from '../shared/trace';
import { vault } from '../shared/vault';

// GET /cases/{caseId}: the case with both partners' steps. A case the caller may not reach (access.ts:
// another organisation's, or a service of another kind) is a 404 like a missing one. The read is in
// the case's processing log before the data leaves. With ?view=status: statuses and timings only,
// of the case and step items alone (status-view.ts); nothing personal is read, so there is nothing to log.

const deps = { log: processingLog, clock: systemClock };

const notFound = (caseId: string) => new NotFoundError('There is no such case.', { caseId });

export const handler = httpRoute(request, async ({ path, query, claims }, event) => {
  const provider = providerOf(claims);
  if (query.view === 'status') {
    const standing = await repository.getCaseStanding(path.caseId);
    if (!standing || !reaches(provider, standing.case)) throw notFound(path.caseId);
    return json(200, caseStatusDto(requireService(standing.case.serviceId), standing));
  }
  const view = await repository.getCaseView(path.caseId);
  if (!view || !reaches(provider, view.case)) throw notFound(path.caseId);
  const dto = caseDto(requireService(view.case.serviceId), view, 'provider', vault);
  await logReads(deps, { provider, trace: traceOf(event.headers) }, [dto]);
  return json(200, dto);
});
