import { engine } from '../adapters/engine';
import { notifier } from '../adapters/notifier';
import { processingLog, reopener, repository } from '../adapters/repository';
import { request } from '../contract/reopen-case';
import { caseOfProvider, providerOf } from '../domain/access';
import { systemClock } from '../domain/clock';
import { reopenCase } from '../domain/reopen';
import { httpRoute, json } from '../shared/http';
import { publicUrl } from '../shared/settings';
import { traceOf } from '../shared/trace';
import { vault } from '../shared/vault';

// POST /cases/{caseId}/reopen: staff say a completed case of their organisation is not done, within
// the service's window (the citizen is told by SMS). 409 CASE_NOT_COMPLETED, REOPEN_WINDOW_CLOSED or REOPEN_NOT_OFFERED otherwise.

const deps = {
  repo: repository,
  reopener,
  engine,
  notifier,
  log: processingLog,
  clock: systemClock,
  vault,
  publicUrl,
};

export const handler = httpRoute(request, async ({ path, body, claims }, event) => {
  const provider = providerOf(claims);
  const record = await caseOfProvider(repository, path.caseId, provider);
  const staff = { provider, trace: traceOf(event.headers) };
  const reopened = await reopenCase(deps, record, { actor: 'provider', staff }, body.reason);
  return json(200, { caseId: reopened.caseId, status: reopened.status, stage: reopened.stage });
});
