import * as z from 'zod/mini';

// The payload a service state machine sends open-step for one wait segment of one step: declared
// once here, for the state machine compiler (lib/constructs/workflow/step-branch.ts), the handler
// (which parses it) and the domain (which takes the parsed value).

/** 'none': a wait re-armed after its schedule moved, whose segment's notice was sent already. */
export const NOTICES = ['invite', 'reminder', 'escalation', 'none'] as const;
export type Notice = (typeof NOTICES)[number];

const id = z.string().check(z.minLength(1), z.maxLength(200));
const time = z.iso.datetime({ offset: true });

export const openStepPayload = z.object({
  caseId: id,
  serviceId: id,
  stageId: id,
  stepId: id,
  notice: z.enum(NOTICES),
  /** The case's stage-entry counter: DynamoDB's integration hands numbers over as strings. */
  visit: z.pipe(
    z.union([z.string().check(z.regex(/^[1-9]\d{0,8}$/)), z.int().check(z.positive())]),
    z.transform(Number),
  ),
  taskToken: z.string().check(z.minLength(1), z.maxLength(8192)),
  /** When the engine entered the task state: "now" on the engine's clock, which a local run fast-forwards. */
  enteredAt: time,
  /**
   * When the stage was entered (the stage-entry write's time); an invite writes STAGE_ENTERED at
   * it. Only the stage's first step gets it (machines from before that give it to every step, which
   * rewrite the same item). Absent from executions that started on a machine from before it, which
   * write that event themselves.
   */
  stageEnteredAt: z.optional(time),
  /**
   * The shift of the step's schedule this wait was planned with (0 for the definition's own segments,
   * retime-step's for a re-armed one): when the step's shift differs, open-step re-times the wait.
   * Absent from executions of machines from before negotiated due dates (0).
   */
  shiftSeconds: z.optional(z.int()),
});

/** The payload as open-step takes it (visit a number). */
export type OpenStepPayload = z.output<typeof openStepPayload>;

/** The names of the payload's fields: the compiler fills each of them. */
export type OpenStepField = keyof z.input<typeof openStepPayload>;
export const OPEN_STEP_FIELDS = Object.keys(openStepPayload.shape) as OpenStepField[];
