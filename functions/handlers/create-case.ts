import { engine } from '../adapters/engine';
import { repository } from '../adapters/repository';
import { request } from '../contract/create-case';
import { providerOf } from '../domain/access';
import { createCase } from '../domain/cases';
import { systemClock } from '../domain/clock';
import { httpRoute, json } from '../shared/http';
import { linkTtlDays, publicUrl, retentionDays } from '../shared/settings';
import { vault } from '../shared/vault';

// POST /cases: a provider starts a case for a citizen. Idempotency-Key makes retries safe. The request
// (contract/create-case.ts) follows the input policy: text, contact data, one Idempotency-Key.

const deps = { repo: repository, engine, clock: systemClock, vault, publicUrl, linkTtlDays, retentionDays };

export const handler = httpRoute(request, async ({ headers, body, claims }) => {
  const { created, result } = await createCase(deps, providerOf(claims), body, headers['idempotency-key']);
  return json(created ? 201 : 200, result);
});
