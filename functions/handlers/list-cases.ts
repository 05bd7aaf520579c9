import * as z from 'zod/mini';
import { processingLog, repository } from '../adapters/repository';
import { providerOf } from '../domain/access';
import { listCases } from '../domain/case-list';
import { systemClock } from '../domain/clock';
import { serviceFromInput } from '../domain/definitions';
import { CASE_STATUSES } from '../domain/model';
import { httpRoute, json } from '../shared/http';
import { traceOf } from '../shared/trace';
import { vault } from '../shared/vault';

// GET /cases?serviceId=&status=&limit=&cursor=: the caller's organisation only, newest first. The
// references shown are personal data: each case's read is in its processing log.

const schema = z.object({
  query: z.object({
    serviceId: z.string().check(z.minLength(1, 'serviceId is required.')),
    status: z.optional(z.enum(CASE_STATUSES)),
    limit: z.optional(z.string().check(z.regex(/^(100|[1-9]\d?)$/, 'Use a whole number from 1 to 100.'))),
    cursor: z.optional(z.string().check(z.maxLength(2048))),
  }),
  claims: z.record(z.string(), z.unknown()),
});

const deps = { repo: repository, log: processingLog, clock: systemClock, vault };

export const handler = httpRoute(schema, async ({ query, claims }, event) => {
  const provider = providerOf(claims);
  serviceFromInput(query.serviceId, 'query.serviceId');
  const page = await listCases(
    deps,
    { provider, trace: traceOf(event.headers) },
    {
      org: provider.org,
      serviceId: query.serviceId,
      limit: query.limit === undefined ? 25 : Number(query.limit),
      ...(query.status && { status: query.status }),
      ...(query.cursor !== undefined && { cursor: query.cursor }),
    },
  );
  return json(200, page);
});
