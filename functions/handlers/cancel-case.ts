import * as z from 'zod/mini';
import { engine } from '../adapters/engine';
import { repository } from '../adapters/repository';
import { rounds } from '../adapters/rounds';
import { providerOf } from '../domain/access';
import { cancelCase } from '../domain/cases';
import { systemClock } from '../domain/clock';
import { httpRoute, json } from '../shared/http';
import { vault } from '../shared/vault';
import { caseIdParam } from './params';

// POST /cases/{caseId}/cancel: stops the case for good; the reason goes into the case and its log,
// sealed with the case's key.

const schema = z.object({
  path: z.object({ caseId: caseIdParam }),
  body: z.strictObject({
    reason: z
      .string()
      .check(z.trim(), z.minLength(1, 'Give a reason.'), z.maxLength(500, 'Use at most 500 characters.')),
  }),
  claims: z.record(z.string(), z.unknown()),
});

const deps = { repo: repository, engine, rounds, clock: systemClock, vault };

export const handler = httpRoute(schema, async ({ path, body, claims }) => {
  const record = await cancelCase(deps, providerOf(claims), path.caseId, body.reason);
  return json(200, { caseId: record.caseId, status: record.status, cancelReason: body.reason });
});
