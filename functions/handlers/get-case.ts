import * as z from 'zod/mini';
import { repository } from '../adapters/repository';
import { providerOf } from '../domain/access';
import { requireService } from '../domain/definitions';
import { caseDto } from '../domain/views';
import { NotFoundError } from '../shared/errors';
import { httpRoute, json } from '../shared/http';
import { vault } from '../shared/vault';
import { caseIdParam } from './params';

// GET /cases/{caseId}: the case with both partners' steps. Another organisation's case is a 404.

const schema = z.object({
  path: z.object({ caseId: caseIdParam }),
  claims: z.record(z.string(), z.unknown()),
});

export const handler = httpRoute(schema, async ({ path, claims }) => {
  const provider = providerOf(claims);
  const view = await repository.getCaseView(path.caseId);
  if (!view || view.case.org !== provider.org)
    throw new NotFoundError('There is no such case.', { caseId: path.caseId });
  return json(200, caseDto(requireService(view.case.serviceId), view, 'provider', vault));
});
