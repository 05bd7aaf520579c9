import { durationSeconds } from '../../workflows/duration';
import { routingData } from '../../workflows/routing';
import type { Service, Step } from '../../workflows/schema';
import type { TaskRetimer } from '../proposals/ports';
import type { ReportTally } from '../reports/ports';
import { tallyNotice } from '../reports/tally';
import { caseCipher } from './case-keys';
import { type SmsOutcome, smsEvent, textCitizen } from './citizen-sms';
import { findStep } from './definitions';
import { linkExtension } from './link-life';
import { formatDue, type MessageKind, type MessageValues, renderMessage } from './messages';
import type { CaseEvent, CaseEventType, CaseRecord, FormData, StepRecord, Submission } from './model';
import type { Notice, OpenStepPayload } from './open-step-payload';
import { orgDisplayName } from './org-name';
import { type PiiVault, sha256 } from './pii';
import type { CaseRepository, Notifier, OpenStepResult, TaskCompleter } from './ports';

// A step's wait segment begins: the state machine hands over a task token, the step item records it,
// and the actor hears about it. Step Functions may invoke this more than once for one segment, and
// an answer may arrive between two segments; the repository's conditional writes sort that out and
// say which case this is (OpenStepResult). The invite of the stage's first step also logs that the
// stage was entered (only its payload carries stageEnteredAt), under a key that makes it there once.

export type { Notice, OpenStepPayload } from './open-step-payload';

export interface OpenStepDeps {
  repo: CaseRepository;
  engine: TaskCompleter;
  /** Ends a wait planned on a schedule that has moved since (Step.Retimed), so it re-arms on the new one. */
  retimer: TaskRetimer;
  notifier: Notifier;
  vault: PiiVault;
  publicUrl: string;
  findService: (serviceId: string) => Service | undefined;
  /** The service report's running aggregates: reminders and escalations per side (reports/tally.ts). */
  tally?: ReportTally;
  /** LINK_TTL_DAYS: how long the citizen's link works past a step that opens beyond it (link-life.ts). */
  linkTtlDays?: number;
}

export interface OpenStepOutcome {
  result: OpenStepResult['kind'] | 'case-closed';
  /** 'repeated': another invocation of the same wait segment already texted (or tried to). */
  sms?: SmsOutcome | 'repeated';
}

/** Thrown for an invocation that cannot be right; its name is what the execution history shows. */
export class OpenStepError extends Error {
  constructor(reason: 'BadPayload' | 'UnknownStep' | 'UnknownCase', message: string) {
    super(message);
    this.name = `OpenStep.${reason}`;
  }
}

const EVENT: Record<Exclude<Notice, 'none'>, CaseEventType> = {
  invite: 'STEP_OPENED',
  reminder: 'STEP_REMINDED',
  escalation: 'STEP_ESCALATED',
};
const MESSAGE: Record<Exclude<Notice, 'none'>, MessageKind> = {
  invite: 'invitation',
  reminder: 'reminder',
  escalation: 'escalation',
};

export async function openStep(deps: OpenStepDeps, p: OpenStepPayload): Promise<OpenStepOutcome> {
  const { repo } = deps;
  const service = deps.findService(p.serviceId);
  const located = service && findStep(service, p.stepId);
  if (!service || !located || located.stage.id !== p.stageId)
    throw new OpenStepError('UnknownStep', `${p.serviceId} has no step ${p.stageId}/${p.stepId}`);
  const record = await repo.getCase(p.caseId);
  if (!record) throw new OpenStepError('UnknownCase', `case ${p.caseId} does not exist`);
  // A cancelled case's execution is being stopped: nobody should hear about this step any more.
  if (record.status !== 'ACTIVE') return { result: 'case-closed' };

  if (p.notice === 'invite' && p.stageEnteredAt !== undefined)
    await logStageEntered(repo, p, p.stageEnteredAt);
  const definition = located.step;
  // Only an invite puts the step in the phone index; a re-armed segment keeps its index entry and code.
  const phoneHash =
    definition.actor === 'citizen' && p.notice === 'invite' ? record.citizen.phoneHash : undefined;
  const result = await repo.openStep(
    {
      caseId: p.caseId,
      stepId: p.stepId,
      actor: definition.actor,
      visit: p.visit,
      taskToken: p.taskToken,
      // Only an invite writes the dates; a re-armed segment keeps those of its attempt.
      openedAt: p.enteredAt,
      dueAt: after(p.enteredAt, definition.due),
      expiresAt: after(p.enteredAt, definition.expiry),
      ...(phoneHash && { phoneHash, shortCode: await shortCodeFor(repo, phoneHash, p) }),
      shiftSeconds: p.shiftSeconds ?? 0,
    },
    p.notice,
  );

  if (result.kind === 'stale') return { result: result.kind };
  // The step's due date moved after this wait was planned: it re-arms on the new schedule, unannounced.
  if (result.kind === 'retimed') {
    await deps.retimer.retimeTask(p.taskToken);
    return { result: result.kind };
  }
  const cipher = caseCipher(deps.vault, record);
  if (result.kind === 'already-done') {
    // Answered while no token was waiting: hand the stored answer's routing values to the new token,
    // so it is not lost (the answer itself stays sealed in the table).
    const { step } = result;
    const answers = step.data ?? cipher.openJson<FormData>(step.dataEnc) ?? {};
    const submission: Submission = {
      stepId: step.stepId,
      actor: step.actor,
      channel: step.channel ?? 'web',
      submittedAt: step.submittedAt ?? p.enteredAt,
      data: routingData(definition, answers),
    };
    await deps.engine.completeTask(p.taskToken, submission);
    return { result: result.kind };
  }

  // A re-armed wait whose notice this visit already sent: the new token is all there is to record.
  if (p.notice === 'none') return { result: result.kind };
  const notice = p.notice;
  const at = p.enteredAt;
  const step = result.step;
  // One wait segment, whichever invocation of it this is: Step Functions retries a throttled or timed
  // out invocation within the same state entry, so its events are keyed by the segment, not written anew.
  const segment = `${notice}-${p.stepId}-${p.visit}`;
  const stepEvent: CaseEvent = {
    caseId: p.caseId,
    at,
    type: EVENT[notice],
    actor: 'system',
    stepId: p.stepId,
    detail: { visit: p.visit, actor: step.actor, dueAt: step.dueAt },
  };
  if (deps.tally && p.notice !== 'invite') {
    const notice = { record, stageId: p.stageId, actor: step.actor, notice: p.notice, segment, at };
    await tallyNotice(deps.tally, notice);
  }
  // Provider steps: the console shows the event; there is no SMS (or other) channel to staff yet.
  if (definition.actor !== 'citizen') {
    await repo.appendEvent(stepEvent, segment);
    return { result: result.kind };
  }
  const token = deps.vault.linkToken(p.caseId);
  // The link in the text works while the step waits, and a while after (link-life.ts).
  const until = deps.linkTtlDays === undefined ? undefined : linkExtension(record, step, deps.linkTtlDays);
  if (until) await repo.extendLink(p.caseId, sha256(token), until);
  // The step's event and its text's are one item, one write, once the text went out (or could not): an
  // earlier invocation of this segment that wrote it got as far as the SMS, and the citizen is not texted
  // twice. (Only a crash between the send and the write, milliseconds, can still repeat one.) A fresh
  // open had no earlier invocation past its write, so there is nothing to look up.
  const fresh = result.kind === 'opened' && result.fresh;
  if (!fresh && (await repo.hasEvent(p.caseId, at, segment))) return { result: result.kind, sms: 'repeated' };
  const link = `${deps.publicUrl}/c/${token}`;
  const values = messageValues(service, definition, record, step, link);
  // A text that cannot go out leaves the step open and reachable through the link; the next reminder
  // tries again. Failing the task here would end the whole case.
  const outcome = await textCitizen(deps, record, cipher, () =>
    renderMessage(service, MESSAGE[notice], record.citizen.locale, values, definition),
  );
  // A millisecond later, so the log lists the SMS after the step event it belongs to.
  const smsAt = new Date(Date.parse(at) + 1).toISOString();
  const sms = smsEvent(p.caseId, smsAt, MESSAGE[notice], outcome, p.stepId);
  await repo.appendEventGroup([stepEvent, sms], segment);
  return { result: result.kind, sms: outcome.sms };
}

/** STAGE_ENTERED at the stage-entry time, keyed by stage and visit: a retry writes the same item. */
function logStageEntered(repo: CaseRepository, p: OpenStepPayload, at: string): Promise<void> {
  const event = {
    caseId: p.caseId,
    at,
    type: 'STAGE_ENTERED' as const,
    actor: 'system' as const,
    detail: { stageId: p.stageId, visit: p.visit },
  };
  return repo.appendEvent(event, `stage-${p.stageId}-${p.visit}`);
}

/** The placeholder values of every message about a step, in the case's language. */
export function messageValues(
  service: Service,
  definition: Step,
  record: CaseRecord,
  step: StepRecord,
  link: string,
): MessageValues {
  const locale = record.citizen.locale;
  return {
    org: orgDisplayName(record.org),
    service: service.title[locale],
    step: definition.title[locale],
    due: formatDue(step.dueAt),
    link,
    ...(step.shortCode && { code: step.shortCode }),
  };
}

function after(iso: string, duration: string): string {
  return new Date(Date.parse(iso) + durationSeconds(duration) * 1000).toISOString();
}

// I and O are left out: on a small screen they read as 1 and 0.
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const CODES = LETTERS.length * 10;

/**
 * A letter and a digit, unique among the phone's open steps. A retried invite keeps the code it
 * already has; a new one starts at a place derived from the step, so retries pick the same code.
 */
async function shortCodeFor(repo: CaseRepository, phoneHash: string, p: OpenStepPayload): Promise<string> {
  const open = await repo.openStepsForPhone(phoneHash);
  const own = open.find((s) => s.caseId === p.caseId && s.stepId === p.stepId)?.shortCode;
  if (own) return own;
  return allocateShortCode(new Set(open.map((s) => s.shortCode ?? '')), `${p.caseId}#${p.stepId}#${p.visit}`);
}

export function allocateShortCode(taken: ReadonlySet<string>, seed: string): string {
  const start = Buffer.from(sha256(seed), 'base64url').readUInt32BE(0) % CODES;
  for (let i = 0; i < CODES; i++) {
    const n = (start + i) % CODES;
    const code = `${LETTERS[Math.floor(n / 10)]}${n % 10}`;
    if (!taken.has(code)) return code;
  }
  // 240 open steps on one phone: the reply then needs the link; a clash only makes codes ambiguous.
  return `${LETTERS[Math.floor(start / 10)]}${start % 10}`;
}
