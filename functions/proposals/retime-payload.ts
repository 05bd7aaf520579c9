import * as z from 'zod/mini';

// The payload a service state machine sends retime-step when a step's wait must be re-armed (its
// schedule moved, or a re-armed wait ended): declared once, for the compiler
// (lib/constructs/workflow/step-branch.ts) and the handler.

const id = z.string().check(z.minLength(1), z.maxLength(200));

export const retimePayload = z.object({
  caseId: id,
  serviceId: id,
  stepId: id,
  /** The case's stage-entry counter; DynamoDB's integration hands numbers over as strings. */
  visit: z.pipe(
    z.union([z.string().check(z.regex(/^[1-9]\d{0,8}$/)), z.int().check(z.positive())]),
    z.transform(Number),
  ),
  /** $$.State.EnteredTime: "now" on the engine's clock. */
  now: z.iso.datetime({ offset: true }),
});

export type RetimeField = keyof z.input<typeof retimePayload>;
