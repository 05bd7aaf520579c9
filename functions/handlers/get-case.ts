import * as z from 'zod/mini';
import { processingLog, repository } from '../adapters/repository';
import { providerOf } from '../domain/access';
import { logReads } from '../domain/case-reads';
import { systemClock } from '../domain/clock';
import { requireService } from '../domain/definitions';
import { caseDto } from '../domain/views';
import { NotFoundError } from '../shared/errors';
import { httpRoute, json } from '../shared/http';
import { traceOf } from '../shared/trace';
import { vault } from '../shared/vault';
import { caseIdParam } from './params';

// GET /cases/{caseId}: the case with both partners' steps. Another organisation's case is a 404. The
// read is in the case's processing log before the data leaves.

const schema = z.object({
  path: z.object({ caseId: caseIdParam }),
  claims: z.record(z.string(), z.unknown()),
});

const deps = { log: processingLog, clock: systemClock };

export const handler = httpRoute(schema, async ({ path, claims }, event) => {
  const provider = providerOf(claims);
  const view = await repository.getCaseView(path.caseId);
  if (!view || view.case.org !== provider.org)
    throw new NotFoundError('There is no such case.', { caseId: path.caseId });
  const dto = caseDto(requireService(view.case.serviceId), view, 'provider', vault);
  await logReads(deps, { provider, trace: traceOf(event.headers) }, [dto]);
  return json(200, dto);
});
