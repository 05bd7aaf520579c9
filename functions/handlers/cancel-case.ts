import { engine } from '../adapters/engine';
import { repository } from '../adapters/repository';
import { request } from '../contract/cancel-case';
import { providerOf } from '../domain/access';
import { cancelCase } from '../domain/case-cancel';
import { systemClock } from '../domain/clock';
import { rounds } from '../rounds/repository';
import { httpRoute, json } from '../shared/http';
import { vault } from '../shared/vault';

// POST /cases/{caseId}/cancel: stops the case for good; the reason goes into the case and its log,
// sealed with the case's key.

const deps = { repo: repository, engine, rounds, clock: systemClock, vault };

export const handler = httpRoute(request, async ({ path, body, claims }) => {
  const record = await cancelCase(deps, providerOf(claims), path.caseId, body.reason);
  return json(200, { caseId: record.caseId, status: record.status, cancelReason: body.reason });
});
