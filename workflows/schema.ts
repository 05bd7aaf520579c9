import { z } from 'zod';
import { BASE_COLUMNS } from '../functions/rounds/model';
import { durationSeconds, isDuration } from './duration';
import { ROUTING_TYPES } from './routing';
import { stageChains } from './stage-order';

// The definition language. Synth-time only: runtime bundles import the plain data
// through workflows/catalog.ts and never this schema, so classic zod costs no cold start.

const slug = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,39}$/, 'rule: ids are lowercase letters, digits and dashes (2-40 characters)');

/** Dutch is the default language, English is always provided too. */
export const bilingual = z.object({ nl: z.string().trim().min(1), en: z.string().trim().min(1) }).strict();

const isoDuration = z
  .string()
  .refine(
    isDuration,
    'rule: durations are ISO 8601 in weeks, days, hours or minutes (for example P7D or PT12H)',
  );

const fieldBase = {
  id: z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/, 'rule: field ids are camelCase'),
  label: bilingual,
  help: bilingual.optional(),
  required: z.boolean().default(true),
};

export const fieldSchema = z.discriminatedUnion('type', [
  z
    .object({
      ...fieldBase,
      type: z.literal('text'),
      maxLength: z.number().int().min(1).max(500).default(200),
    })
    .strict(),
  z
    .object({
      ...fieldBase,
      type: z.literal('longText'),
      maxLength: z.number().int().min(1).max(4000).default(2000),
    })
    .strict(),
  z
    .object({
      ...fieldBase,
      type: z.literal('choice'),
      options: z.array(z.object({ value: slug, label: bilingual }).strict()).min(2),
    })
    .strict(),
  z.object({ ...fieldBase, type: z.literal('yesNo') }).strict(),
  z.object({ ...fieldBase, type: z.literal('date') }).strict(),
  z
    .object({
      ...fieldBase,
      type: z.literal('number'),
      min: z.number().optional(),
      max: z.number().optional(),
      integer: z.boolean().default(false),
    })
    .strict(),
]);

/** Sends the case back to an earlier stage when a submitted field has a given value. */
export const backToSchema = z
  .object({
    stage: slug,
    when: z.object({ field: z.string(), equals: z.union([z.string(), z.boolean(), z.number()]) }).strict(),
  })
  .strict();

/**
 * Either partner may propose another due date for the step, the other accepts or declines. `maxShift`:
 * how far the due date may move from the definition's, either way (default: the step's expiry period);
 * `perSide`: how many proposals each partner may make per visit of the step.
 */
export const proposalsSchema = z
  .object({
    maxShift: isoDuration.optional(),
    perSide: z.number().int().min(1, 'rule: a side may make at least one proposal').max(5).default(2),
  })
  .strict();

export const messagesSchema = z
  .object({
    invitation: bilingual,
    reminder: bilingual,
    escalation: bilingual,
    confirmation: bilingual,
  })
  .strict();

export const stepSchema = z
  .object({
    id: slug,
    actor: z.enum(['citizen', 'provider']),
    /** Short enough for an SMS; the SMS tests fill {step} with it. */
    title: bilingual,
    instructions: bilingual,
    form: z.object({ fields: z.array(fieldSchema).min(1, 'rule: a form has at least one field') }).strict(),
    /** Offsets from the moment the step opens. */
    reminders: z.array(isoDuration).default([]),
    due: isoDuration,
    expiry: isoDuration,
    /** Which field a citizen's SMS reply fills, and which optional field takes the rest of the text. */
    sms: z.object({ field: z.string(), note: z.string().optional() }).strict().optional(),
    backTo: backToSchema.optional(),
    /**
     * Another step of the same stage, earlier in the definition: this step opens when that one is
     * submitted rather than at the stage entry (workflows/stage-order.ts). Absent: at the stage entry.
     */
    after: slug.optional(),
    /** Negotiated due dates (issue 12): absent, the step's due date is the definition's alone. */
    proposals: proposalsSchema.optional(),
    /**
     * This step's own texts where the service's do not fit it: a step answered by SMS says how ("Antwoord
     * {code} JA of NEE"), which the service's invitation cannot say of its steps answered by link.
     */
    messages: messagesSchema.partial().optional(),
  })
  .strict();

export const stageSchema = z
  .object({
    id: slug,
    title: bilingual,
    steps: z.array(stepSchema).min(2, 'rule: a stage holds at least two steps, one per partner'),
  })
  .strict();

/**
 * The processing activity the service's personal data serves, as the organisation's register of
 * processing activities (AVG art. 30) names it: every read or change by staff is logged under it
 * (the processing log, after Logius' Logboek Dataverwerkingen) and the citizen sees the purpose.
 */
export const processingActivitySchema = z
  .object({
    /** The activity's id in the register; logged as dpl.core.processing_activity_id. */
    id: slug,
    /** Why the data is processed, in words for the citizen ("... for: <purpose>"). */
    purpose: bilingual,
  })
  .strict();

/**
 * "It is not done": within `windowDays` of completion either partner may reopen a completed case, with
 * a reason; it runs again from stage `stage` (issue 12). Absent: the service cannot be reopened.
 */
export const reopenSchema = z
  .object({
    windowDays: z.number().int().min(1, 'rule: a reopen window is at least one day').max(90),
    stage: slug,
  })
  .strict();

const serviceShape = z
  .object({
    id: slug,
    title: bilingual,
    summary: bilingual,
    providerKind: z.enum(['municipality', 'school', 'care-provider']),
    processingActivity: processingActivitySchema,
    /** What a round's CSV file (or POST /cases) tells about each household: one column per field. */
    context: z.array(fieldSchema).default([]),
    stages: z.array(stageSchema).min(2, 'rule: a service has at least two stages'),
    messages: messagesSchema,
    reopen: reopenSchema.optional(),
  })
  .strict();

export const serviceSchema = serviceShape.superRefine(checkRules);

export type ServiceInput = z.input<typeof serviceSchema>;
export type Service = z.output<typeof serviceSchema>;
export type Stage = Service['stages'][number];
export type Step = Stage['steps'][number];
export type Field = Step['form']['fields'][number];

const YEAR_SECONDS = 365 * 86_400;

function checkRules(service: z.output<typeof serviceShape>, ctx: z.RefinementCtx): void {
  const fail = (path: (string | number)[], rule: string) =>
    ctx.addIssue({ code: 'custom', path, message: rule });
  const stageIds = new Set<string>();
  const stepIds = new Set<string>();
  let worstCase = 0;
  service.stages.forEach((stage, si) => {
    if (stageIds.has(stage.id))
      fail(['stages', si, 'id'], `rule: stage ids are unique ('${stage.id}' repeats)`);
    stageIds.add(stage.id);
    const actors = new Set(stage.steps.map((s) => s.actor));
    if (actors.size < 2)
      fail(['stages', si, 'steps'], 'rule: every stage holds steps of both citizen and provider');
    checkOrder(stage, si, fail);
    stage.steps.forEach((step, pi) => {
      const at = ['stages', si, 'steps', pi];
      if (stepIds.has(step.id))
        fail([...at, 'id'], `rule: step ids are unique in a service ('${step.id}' repeats)`);
      stepIds.add(step.id);
      checkDurations(step, at, fail);
      checkFields(step, at, fail);
      if (step.messages && step.actor !== 'citizen')
        fail([...at, 'messages'], 'rule: only citizen steps are texted, so only they have messages');
      if (step.messages?.confirmation && !step.sms)
        fail(
          [...at, 'messages', 'confirmation'],
          'rule: a confirmation is sent only for steps answered by SMS',
        );
      if (step.backTo) {
        const target = service.stages.findIndex((s) => s.id === step.backTo?.stage);
        if (target < 0 || target >= si)
          fail(
            [...at, 'backTo', 'stage'],
            `rule: backTo names an earlier stage ('${step.backTo.stage}' is not one)`,
          );
        const read = step.form.fields.find((f) => f.id === step.backTo?.when.field);
        if (!read)
          fail([...at, 'backTo', 'when', 'field'], `rule: backTo.when.field names a field of this step`);
        // Routing values travel through SendTaskSuccess into the execution history (workflows/routing.ts).
        else if (!ROUTING_TYPES.includes(read.type))
          fail(
            [...at, 'backTo', 'when', 'field'],
            `rule: backTo reads a ${ROUTING_TYPES.join(', ')} field ('${read.id}' is ${read.type}: what a person writes stays out of the execution history)`,
          );
      }
    });
    // A chain's steps wait one after another; an accepted proposal can move a step's expiry by up to
    // its maximum shift (proposals/limits.ts).
    const lengths = stageChains(stage.steps).map((chain) =>
      chain.reduce((sum, step) => {
        const shift = step.proposals ? seconds(step.proposals.maxShift ?? step.expiry) : 0;
        return sum + seconds(step.expiry) + shift;
      }, 0),
    );
    worstCase += Math.max(...lengths);
  });
  if (worstCase >= YEAR_SECONDS)
    fail(['stages'], 'rule: the expiries of all stages add up to less than a year (Step Functions limit)');
  checkContext(service.context, fail);
  if (service.reopen && !stageIds.has(service.reopen.stage))
    fail(
      ['reopen', 'stage'],
      `rule: reopen.stage names a stage of this service ('${service.reopen.stage}' is not one)`,
    );
}

// `after` (workflows/stage-order.ts): an earlier step of the stage, followed by no other step, and
// whose answer sends the case nowhere, since only a chain's last answer reaches the stage's Choice.
function checkOrder(stage: Stage, si: number, fail: (p: (string | number)[], r: string) => void) {
  const followed = new Set<string>();
  stage.steps.forEach((step, pi) => {
    if (step.after === undefined) return;
    const at = ['stages', si, 'steps', pi, 'after'];
    const named = stage.steps.findIndex((s) => s.id === step.after);
    if (named < 0 || named >= pi)
      fail(at, `rule: after names an earlier step of the same stage ('${step.after}' is not one)`);
    else if (followed.has(step.after))
      fail(at, `rule: at most one step follows a step ('${step.after}' already has one)`);
    else if (stage.steps[named]?.backTo)
      fail(at, `rule: a step that sends the case back is followed by no step ('${step.after}' has backTo)`);
    followed.add(step.after);
  });
}

/** Columns of a round's CSV file besides the context fields; `line` is added to the validated file. */
const RESERVED_COLUMNS: readonly string[] = [...BASE_COLUMNS, 'line'];
const CONTEXT_TYPES: readonly string[] = ['text', 'date', 'number', 'choice', 'yesNo'];

// Context fields become CSV columns, so their ids must not clash with the fixed columns, and a
// longText (up to 4000 characters, with newlines) does not belong in one cell.
function checkContext(fields: readonly Field[], fail: (p: (string | number)[], r: string) => void) {
  const at = ['context'];
  checkFieldList(fields, at, fail, 'rule: context field ids are unique');
  fields.forEach((f, i) => {
    if (RESERVED_COLUMNS.includes(f.id))
      fail(
        [...at, i, 'id'],
        `rule: context field ids differ from the CSV columns ${RESERVED_COLUMNS.join(', ')} ('${f.id}')`,
      );
    if (!CONTEXT_TYPES.includes(f.type))
      fail(
        [...at, i, 'type'],
        `rule: context fields are ${CONTEXT_TYPES.join(', ')} (a ${f.type} does not fit a CSV cell)`,
      );
  });
}

function checkFieldList(
  fields: readonly Field[],
  at: (string | number)[],
  fail: (p: (string | number)[], r: string) => void,
  uniqueRule: string,
) {
  const ids = new Set<string>();
  fields.forEach((f, i) => {
    if (ids.has(f.id)) fail([...at, i, 'id'], `${uniqueRule} ('${f.id}')`);
    ids.add(f.id);
    if (f.type === 'number' && f.min !== undefined && f.max !== undefined && f.min > f.max)
      fail([...at, i], 'rule: number min is at most max');
  });
}

// The rules run even when a duration failed its own check (a refinement does not abort the parse);
// a malformed one counts as NaN, so it is reported once, by that check, instead of throwing here.
function seconds(value: string): number {
  return isDuration(value) ? durationSeconds(value) : Number.NaN;
}

function checkDurations(
  step: Step,
  at: (string | number)[],
  fail: (p: (string | number)[], r: string) => void,
) {
  const due = seconds(step.due);
  const expiry = seconds(step.expiry);
  let previous = 0;
  step.reminders.forEach((r, i) => {
    const s = seconds(r);
    if (s <= previous) fail([...at, 'reminders', i], 'rule: reminders are in increasing order');
    if (s >= due) fail([...at, 'reminders', i], 'rule: every reminder comes before the due date');
    previous = s;
  });
  if (expiry <= due) fail([...at, 'expiry'], 'rule: expiry comes after the due date');
}

function checkFields(step: Step, at: (string | number)[], fail: (p: (string | number)[], r: string) => void) {
  checkFieldList(step.form.fields, [...at, 'form', 'fields'], fail, 'rule: field ids are unique in a form');
  if (!step.sms) return;
  if (step.actor !== 'citizen') fail([...at, 'sms'], 'rule: only citizen steps are answered by SMS');
  const field = step.form.fields.find((f) => f.id === step.sms?.field);
  if (!field) fail([...at, 'sms', 'field'], 'rule: sms.field names a field of this step');
  const note = step.sms.note;
  if (note && !step.form.fields.some((f) => f.id === note && (f.type === 'text' || f.type === 'longText')))
    fail([...at, 'sms', 'note'], 'rule: sms.note names a text field of this step');
  const others = step.form.fields.filter((f) => f.required && f.id !== step.sms?.field && f.id !== note);
  if (others.length > 0)
    fail(
      [...at, 'sms'],
      `rule: an SMS reply can complete the step (required field '${others[0]?.id}' is not covered)`,
    );
}

export class DefinitionError extends Error {
  override name = 'DefinitionError';
}

/** Parses one definition; the message names the file, the path and the rule. */
export function parseService(file: string, value: unknown): Service {
  const result = serviceSchema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${file}: ${formatPath(i.path)}: ${i.message}`);
  throw new DefinitionError(`Invalid service definition ${file}\n${lines.join('\n')}`);
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : `${acc}.${String(p)}`),
    '$',
  );
}
