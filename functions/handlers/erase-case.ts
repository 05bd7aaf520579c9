import { engine } from '../adapters/engine';
import { processingLog, repository } from '../adapters/repository';
import { request } from '../contract/erase-case';
import { providerOf } from '../domain/access';
import { systemClock } from '../domain/clock';
import { eraser } from '../privacy/eraser';
import { eraseCase } from '../privacy/erasure';
import { rounds } from '../rounds/repository';
import { httpRoute, json } from '../shared/http';
import { traceOf } from '../shared/trace';
import { vault } from '../shared/vault';

// POST /cases/{caseId}/erase: staff of the case's organisation erase its personal data, with a reason.
// A running case is stopped; the case's data key goes, and with it everything personal; statuses and
// stage timings stay. The erasure is in the case's processing log. Repeating it changes nothing more.

const deps = { repo: repository, eraser, log: processingLog, engine, rounds, clock: systemClock, vault };

export const handler = httpRoute(request, async ({ path, body, claims }, event) => {
  const staff = { provider: providerOf(claims), trace: traceOf(event.headers) };
  const record = await eraseCase(deps, staff, path.caseId, body.reason);
  return json(200, { caseId: record.caseId, status: record.status, erased: record.erased });
});
