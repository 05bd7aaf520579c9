import type { DelegateRecord } from '../delegation/model';
import type {
  CaseErasure,
  CaseEvent,
  CaseFailure,
  CaseRecord,
  CaseStatus,
  ClosedStatus,
  StepRecord,
  StoredSubmission,
  Submission,
} from './model';
import type { ProcessingRecord } from './processing-log';
import type { CaseStanding } from './status-view';

// The domain reaches storage, the workflow engine and SMS only through these interfaces.

export interface CaseView {
  case: CaseRecord;
  steps: StepRecord[];
  events: CaseEvent[];
  /**
   * The processing log (processing-log.ts), oldest first; absent where a view does not read it. A view
   * read 'latest' holds the newest records only (every read of a case adds one).
   */
  processing?: ProcessingRecord[];
  /** The case has older processing records than `processing` holds. */
  processingOlder?: true;
  /** The citizen's delegates (delegation/), revoked ones included; absent where a view does not read them. */
  delegates?: DelegateRecord[];
}

/** How much of a case's processing log a view reads: its newest records (the default), or all of it. */
export type ProcessingRead = 'latest' | 'all';

/**
 * A position in a listing: where the next page starts. Opaque to the domain; the edge hands it to
 * clients only sealed (functions/shared/cursor.ts), so what comes back is a position this server gave.
 */
export type PageKey = Readonly<Record<string, string>>;

/** A page of an organisation's cases of one service, newest first, optionally of one status. */
export interface CaseListQuery {
  org: string;
  serviceId: string;
  status?: CaseStatus;
  limit: number;
  after?: PageKey;
}

export interface CasePage {
  items: CaseRecord[];
  /** Absent on the last page. */
  next?: PageKey;
}

export interface OpenStepInput {
  caseId: string;
  stepId: string;
  actor: StepRecord['actor'];
  visit: number;
  taskToken: string;
  openedAt: string;
  dueAt: string;
  expiresAt: string;
  /** Set for citizen steps of a case with a phone: puts the step in the phone index. */
  phoneHash?: string;
  shortCode?: string;
  /** The schedule shift the wait was planned with; the write is refused ('retimed') when the step's differs. */
  shiftSeconds?: number;
}

/**
 * 'opened': a new attempt (or a retry of the same invocation). `fresh`: the step was not open in this
 * visit before this write, so no other invocation of this wait segment got past it (none sent its notices).
 * 'rearmed': same attempt, new token after a reminder or escalation timeout.
 * 'already-done': the step was submitted between two wait segments; complete the new token with the
 * routing values of its stored answers.
 * 'stale': the invocation belongs to an older visit; ignore it.
 * 'retimed': the step's schedule moved since this wait was planned (an accepted proposal): the wait
 * must be re-armed on the new schedule (functions/proposals/).
 */
export type OpenStepResult =
  | { kind: 'opened'; step: StepRecord; fresh: boolean }
  | { kind: 'rearmed'; step: StepRecord }
  | { kind: 'already-done'; step: StepRecord }
  | { kind: 'stale' }
  | { kind: 'retimed' };

/** A case to create, and the hash of its citizen link. */
export interface NewCase {
  record: CaseRecord;
  linkHash: string;
}

/** Many cases written together, for a round's batch (rounds/): fewer calls than a createCase each. Outcomes in order. */
export interface CaseBatchCreator {
  createCases(cases: readonly NewCase[]): Promise<('created' | 'exists')[]>;
}

/** A round's live counters (rounds/); a case of a round that ends by cancel or erasure adds to them. */
export interface RoundCounters {
  /** ADDs the delta to the round's counters. */
  addToCounters(roundId: string, delta: Partial<Record<RoundCounter, number>>): Promise<void>;
}

export type RoundCounter = 'started' | 'failed' | 'completed' | 'expired' | 'cancelled';

export interface CaseRepository {
  /** Creates case and link; 'exists' when the caseId is taken (an idempotent replay or a clash). */
  createCase(record: CaseRecord, linkHash: string): Promise<'created' | 'exists'>;
  getCase(caseId: string): Promise<CaseRecord | undefined>;
  /** The case with its steps, events, delegates and processing log: the newest records, or 'all'. */
  getCaseView(caseId: string, processing?: ProcessingRead): Promise<CaseView | undefined>;
  /**
   * The case's events from the stage visit's entry (its STAGE_ENTERED) on, read consistently: what the
   * visit's waiting is computed from, whatever came before it. All events if the entry was never logged.
   */
  getStageVisitEvents(caseId: string, stageId: string, visit: number): Promise<CaseEvent[]>;
  /** Where the case and its steps stand (read consistently): a status view's fields alone, nothing sealed. */
  getCaseStanding(caseId: string): Promise<CaseStanding | undefined>;
  /** `delegateId`: the link is a delegate's (delegation/), not the citizen's own. */
  caseIdForLink(
    linkHash: string,
  ): Promise<{ caseId: string; expiresAt: string; delegateId?: string } | undefined>;
  /**
   * Moves the end of the citizen's own link (the case's linkExpiresAt and its link item) on to `until`,
   * never back (link-life.ts); `linkHash` names the link item.
   */
  extendLink(caseId: string, linkHash: string, until: string): Promise<void>;
  listCases(query: CaseListQuery): Promise<CasePage>;
  getStep(caseId: string, stepId: string): Promise<StepRecord | undefined>;
  openStep(
    input: OpenStepInput,
    kind: 'invite' | 'reminder' | 'escalation' | 'none',
  ): Promise<OpenStepResult>;
  /**
   * OPEN -> DONE exactly once, for the actor of `submission`: answers the wait the step holds at the
   * moment of the write, so no read comes first. The step as written, with the token of that wait (for
   * the engine); undefined when the step is not open for this actor.
   */
  completeStep(caseId: string, submission: StoredSubmission): Promise<StepRecord | undefined>;
  /** Undo a completion whose SendTaskSuccess was refused, while the step still holds `taskToken`. */
  revertStep(caseId: string, stepId: string, taskToken: string): Promise<boolean>;
  /**
   * ACTIVE -> `to`, exactly once; a FAILED case may be CANCELLED too (its failure goes). The reason
   * comes sealed with the case's key.
   */
  closeCase(caseId: string, to: ClosedStatus, sealedReason?: string): Promise<boolean>;
  /**
   * ACTIVE -> FAILED with the failure, exactly once per failed attempt: only while `failure.execution`
   * is the case's current execution, and not for an attempt older than the case's last redrive.
   */
  failCase(caseId: string, failure: CaseFailure): Promise<boolean>;
  /**
   * FAILED -> ACTIVE before a redrive, exactly once per failure (of concurrent redrives one wins):
   * only while the case still holds this failure. Records the attempt the redrive starts.
   */
  reactivateCase(caseId: string, failure: CaseFailure): Promise<boolean>;
  /** Undoes reactivateCase when the engine refused the redrive: ACTIVE -> FAILED with the failure again. */
  restoreFailure(caseId: string, failure: CaseFailure): Promise<boolean>;
  /** `eventId` makes the event's key deterministic, so writing it again (a retry) does not repeat it. */
  appendEvent(event: CaseEvent, eventId?: string): Promise<void>;
  /**
   * Events of one case that come of one another at once (a step's invitation and how its SMS went), in
   * one write under `eventId` (the first one's key). They read back as events of their own, in order.
   */
  appendEventGroup(events: readonly [CaseEvent, ...CaseEvent[]], eventId: string): Promise<void>;
  /** Whether the event written with this time and `eventId` is there (read consistently). */
  hasEvent(caseId: string, at: string, eventId: string): Promise<boolean>;
  openStepsForPhone(phoneHash: string): Promise<StepRecord[]>;
  setOptOut(phoneHash: string, optedOut: boolean): Promise<void>;
  isOptedOut(phoneHash: string): Promise<boolean>;
  /**
   * Claims an inbound message id with what the message answers (SMS gateways retry, and a signed
   * request can be replayed): `fresh` the first time; afterwards the first claim, unchanged.
   */
  claimInboundMessage(
    messageId: string,
    ttl: number,
    claim: InboundClaim,
  ): Promise<{ fresh: true } | { fresh: false; claim: InboundClaim }>;
  /** The claimed message's answer was refused (or taken): a later copy may not submit it again. */
  settleInboundMessage(messageId: string): Promise<void>;
}

/**
 * What an inbound message was taken to answer, when it was first seen: the step (case, step, visit) it
 * is bound to, and whether its submission may still be under way ('submitting': the first try may have
 * failed before the step was saved, so a retry may finish it) or is decided ('settled').
 */
export interface InboundClaim {
  outcome: 'submitting' | 'settled';
  answers?: { caseId: string; stepId: string; visit: number };
}

/** Erases a case's personal data (its data key and every sealed value); idempotent. */
export interface CaseEraser {
  /** The erasure that holds: this one, or the earlier one of a case erased before. */
  erase(caseId: string, erasure: CaseErasure): Promise<CaseErasure>;
}

/** Completing a waiting task needs only its token, not the state machines (open-step has no ARNs: a cycle). */
export interface TaskCompleter {
  /** Throws TokenRejectedError when the token is unknown, closed or timed out. */
  completeTask(taskToken: string, output: Submission): Promise<void>;
}

export interface WorkflowEngine extends TaskCompleter {
  /** Idempotent for the same caseId and input. Returns the execution ARN. */
  startCase(serviceId: string, caseId: string, input: Record<string, unknown>): Promise<string>;
  /** Stops the named execution (see executionName); one that never started is nothing to stop. */
  stopCase(serviceId: string, executionName: string, reason: string): Promise<void>;
  /**
   * Resumes a failed, timed out or aborted execution from the states that did not succeed. Throws
   * ConflictError('NOT_REDRIVABLE') when Step Functions refuses (too old, never started, ...).
   */
  redriveCase(serviceId: string, executionName: string): Promise<void>;
}

/** The execution a reopening starts: its name and its number (`continuation` in its input). */
export interface Reopened {
  execution: string;
  continuation: number;
}

export interface CaseReopener {
  /**
   * COMPLETED -> ACTIVE exactly once: only while the case is still COMPLETED at `completedAt` (as
   * read). Names and counts the new execution; undefined when refused.
   */
  reopen(caseId: string, completedAt: string, at: string): Promise<Reopened | undefined>;
}

/** Starts a case's later execution at a stage (input `resumeAt`), as a continuation does. */
export interface CaseResumer {
  /** Idempotent for the same name and input (a retry); another input under the name is a 409. */
  resumeCase(serviceId: string, executionName: string, input: Record<string, unknown>): Promise<void>;
}

/** What Step Functions recorded about a closed execution (the status event may leave it out). */
export interface ExecutionDescriber {
  describeFailure(executionArn: string): Promise<{ error?: string; cause?: string; redriveCount: number }>;
}

export interface Notifier {
  sendSms(to: string, text: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}
