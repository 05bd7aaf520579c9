import { engine } from '../adapters/engine';
import { repository } from '../adapters/repository';
import { request } from '../contract/redrive-case';
import { providerOf } from '../domain/access';
import { redriveFailedCase } from '../domain/case-failure';
import { systemClock } from '../domain/clock';
import { httpRoute, json } from '../shared/http';

// POST /cases/{caseId}/redrive: staff resume a FAILED case of their organisation ("Try again").
// 409 CASE_NOT_FAILED for any other case (or when another request resumes it right now), 409
// NOT_REDRIVABLE when Step Functions refuses (the case then stays FAILED).

const deps = { repo: repository, engine, clock: systemClock };

export const handler = httpRoute(request, async ({ path, claims }) => {
  const record = await redriveFailedCase(deps, providerOf(claims), path.caseId);
  return json(200, { caseId: record.caseId, status: record.status });
});
