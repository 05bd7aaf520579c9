import * as z from 'zod/mini';
import { roundFiles } from '../adapters/round-files';
import { rounds } from '../adapters/rounds';
import { providerOf } from '../domain/access';
import { systemClock } from '../domain/clock';
import { createRound } from '../domain/rounds';
import { httpRoute, json } from '../shared/http';
import { retentionDays } from '../shared/settings';
import { vault } from '../shared/vault';

// POST /rounds: a provider creates a round (or finds it again by name) and gets a URL to PUT the CSV to.

// Visible characters: no control or format characters (a name shows up in lists and logs).
const VISIBLE = /^[^\p{Cc}\p{Cf}\u2028\u2029]+$/u;

const schema = z.object({
  body: z.strictObject({
    serviceId: z.string().check(z.trim(), z.minLength(1), z.maxLength(40)),
    name: z
      .string()
      .check(
        z.trim(),
        z.minLength(1, 'Give the round a name.'),
        z.maxLength(100, 'Use at most 100 characters.'),
        z.regex(VISIBLE, 'Use visible characters only.'),
      ),
    onInvalid: z.optional(z.enum(['skip', 'reject'])),
  }),
  claims: z.record(z.string(), z.unknown()),
});

const deps = { rounds, files: roundFiles, clock: systemClock, vault, retentionDays };

export const handler = httpRoute(schema, async ({ body, claims }) => {
  const { created, result } = await createRound(deps, providerOf(claims), body);
  return json(created ? 201 : 200, result);
});
