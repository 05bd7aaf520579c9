import { repository } from '../adapters/repository';
import { request } from '../contract/get-case';
import { providerOf, reaches } from '../domain/access';
import { requireService } from '../domain/definitions';
import { caseDto } from '../domain/views';
import { NotFoundError } from '../shared/errors';
import { httpRoute, json } from '../shared/http';
import { vault } from '../shared/vault';

// GET /cases/{caseId}: the case with both partners' steps. A case the caller may not reach (access.ts:
// another organisation's, or a service of another kind) is a 404 like a missing one.

export const handler = httpRoute(request, async ({ path, claims }) => {
  const provider = providerOf(claims);
  const view = await repository.getCaseView(path.caseId);
  if (!view || !reaches(provider, view.case))
    throw new NotFoundError('There is no such case.', { caseId: path.caseId });
  return json(200, caseDto(requireService(view.case.serviceId), view, 'provider', vault));
});
