import * as z from 'zod/mini';
import { engine } from '../adapters/engine';
import { processingLog, repository } from '../adapters/repository';
import { providerOf } from '../domain/access';
import { createCase } from '../domain/cases';
import { systemClock } from '../domain/clock';
import { httpRoute, json } from '../shared/http';
import { linkTtlDays, publicUrl, retentionDays } from '../shared/settings';
import { traceOf } from '../shared/trace';
import { vault } from '../shared/vault';

// POST /cases: a provider starts a case for a citizen. Idempotency-Key makes retries safe.

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

const schema = z.object({
  headers: z.object({
    'idempotency-key': z.optional(
      z.string().check(z.regex(/^[\x21-\x7e]{1,128}$/, 'Use 1 to 128 visible ASCII characters.')),
    ),
  }),
  body: z.strictObject({
    serviceId: text(40),
    citizen: z.strictObject({
      name: z.optional(text(200)),
      phone: z.optional(text(40)),
      email: z.optional(z.email('Give a valid e-mail address.').check(z.maxLength(254))),
      locale: z.optional(z.enum(['nl', 'en'])),
    }),
    reference: z.optional(text(100)),
    // Checked against the service's context fields in the domain, which names `context.<field>`.
    context: z.optional(z.record(z.string(), z.unknown())),
  }),
  claims: z.record(z.string(), z.unknown()),
});

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

export const handler = httpRoute(schema, async ({ headers, body, claims }, event) => {
  const staff = { provider: providerOf(claims), trace: traceOf(event.headers) };
  const { created, result } = await createCase(deps, staff, body, headers['idempotency-key']);
  return json(created ? 201 : 200, result);
});
