import { engine } from '../adapters/engine';
import { processingLog, repository } from '../adapters/repository';
import { request } from '../contract/create-case';
import { providerOf } from '../domain/access';
import { createCase } from '../domain/cases';
import { systemClock } from '../domain/clock';
import { httpRoute, json } from '../shared/http';
import { linkTtlDays, publicUrl, retentionDays } from '../shared/settings';
import { traceOf } from '../shared/trace';
import { vault } from '../shared/vault';

// POST /cases: a provider starts a case for a citizen. Idempotency-Key makes retries safe. The request
// (contract/create-case.ts) follows the input policy: text, contact data, one Idempotency-Key.

const deps = {
  repo: repository,
  log: processingLog,
  engine,
  clock: systemClock,
  vault,
  publicUrl,
  linkTtlDays,
  retentionDays,
};

export const handler = httpRoute(request, async ({ headers, body, claims }, event) => {
  const staff = { provider: providerOf(claims), trace: traceOf(event.headers) };
  const { created, result } = await createCase(deps, staff, body, headers['idempotency-key']);
  return json(created ? 201 : 200, result);
});
