import * as z from 'zod/mini';
import {
  described,
  dutchMobile,
  email,
  handover,
  isReachable,
  RULES,
  singleHeader,
  singleLine,
} from '../domain/input-policy';
import { staffClaims } from './staff';

// POST /cases. Contact data follows the input policy: a Dutch mobile number and/or an e-mail address,
// one of them required unless `handover` says the caseworker hands the link over in person.

/** Visible ASCII but the comma, which is how a repeated header arrives (see singleHeader). */
const IDEMPOTENCY_KEY = /^[\x21-\x2b\x2d-\x7e]{1,128}$/;

export const createCaseBody = z
  .strictObject({
    serviceId: singleLine(40, 1),
    citizen: z.strictObject({
      name: z.optional(singleLine(200, 1)),
      phone: z.optional(dutchMobile),
      email: z.optional(email),
      locale: z.optional(z.enum(['nl', 'en'])),
    }),
    reference: z.optional(singleLine(100, 1)),
    /** `in-person`: the link is handed over in person, so the citizen may have no phone or e-mail. */
    handover: z.optional(handover),
    // Checked against the service's context fields in the domain, which names `context.<field>`.
    context: z.optional(z.record(z.string(), z.unknown())),
  })
  .check(
    z.refine((body) => isReachable(body.citizen, body.handover), {
      error: RULES.unreachable,
      path: ['citizen'],
    }),
  );

export const request = z.object({
  headers: z.object({
    'idempotency-key': z.optional(
      described(
        singleHeader(IDEMPOTENCY_KEY, 'Use 1 to 128 visible ASCII characters, no comma.'),
        'Makes a retry safe: the same key and body give the same case. Send it once.',
      ),
    ),
  }),
  body: createCaseBody,
  claims: staffClaims,
});
