// The records a case is made of. Plain data: no AWS types, so domain code and tests
// stay independent of storage.

export type Actor = 'citizen' | 'provider';

export const ORG_KINDS = ['municipality', 'school', 'care-provider'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/** Staff acting for their organisation, of the kind in their token (access.ts reads it from the claims). */
export interface Provider {
  org: string;
  orgKind: OrgKind;
  /** The staff member, for the audit trail (sub, else e-mail). */
  who: string;
}

export type Locale = 'nl' | 'en';
export type Channel = 'web' | 'sms' | 'api';
/** FAILED: the case's execution failed after its retries; a redrive makes the case ACTIVE again. */
export const CASE_STATUSES = ['ACTIVE', 'FAILED', 'COMPLETED', 'EXPIRED', 'CANCELLED'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** The statuses that end a case for good. */
export type ClosedStatus = Exclude<CaseStatus, 'ACTIVE' | 'FAILED'>;
export type StepStatus = 'OPEN' | 'DONE';
export type FieldValue = string | number | boolean;
export type FormData = Record<string, FieldValue>;

/**
 * Personal data as stored: a keyed hash for look-ups, the value itself only sealed with the case's
 * data key (case-keys.ts).
 */
export interface Contact {
  nameEnc?: string;
  phoneHash?: string;
  phoneEnc?: string;
  emailEnc?: string;
  locale: Locale;
}

export interface CaseRecord {
  caseId: string;
  serviceId: string;
  org: string;
  status: CaseStatus;
  stage?: string;
  /** The case's own data key, wrapped by the stack's key; gone once the case is erased. */
  dataKey?: string;
  /** The provider's reference (it may name the household), sealed with the data key. */
  referenceEnc?: string;
  /** In clear only on cases from before data keys. */
  reference?: string;
  /** Set when a round started the case: the case is then also in the byRound index. */
  roundId?: string;
  citizen: Contact;
  /** The service's context values (address, collection date...), JSON, sealed like the contact. */
  contextEnc?: string;
  createdAt: string;
  updatedAt: string;
  /** Hash of the create request, so that a replayed Idempotency-Key with another body is refused. */
  requestHash: string;
  linkExpiresAt: string;
  /** Why staff stopped the case, sealed with the data key (it may name the citizen). */
  cancelReasonEnc?: string;
  /** In clear only on cases from before data keys. */
  cancelReason?: string;
  /** Set when the case's personal data was erased: its key and every sealed value are gone. */
  erased?: CaseErasure;
  /**
   * The name of the case's current execution; absent for the first one, which is named after the case.
   * A continuation (a case outliving one execution) is `<caseId>-<n>`. Read it with executionName().
   */
  execution?: string;
  /** While the case is FAILED: what ended its execution. */
  failure?: CaseFailure;
  /**
   * The attempt the last redrive started (the execution and its redriveCount after it), so that a
   * late copy of an earlier failure event cannot fail the case again.
   */
  redriven?: { execution: string; count: number };
  /** The last reopening of the completed case (reopen.ts): when, and the execution it started. */
  reopened?: { at: string; execution: string };
  /** Epoch seconds; DynamoDB TTL removes the whole case after the retention period. */
  ttl: number;
}

/** Why a case's execution ended without the case ending. Never personal data (errors, not answers). */
export interface CaseFailure {
  /** The error name, e.g. Lambda.TooManyRequestsException or States.Timeout. */
  error: string;
  /** Step Functions' cause, cut to CAUSE_MAX_LENGTH characters. */
  cause: string;
  /** When the execution stopped. */
  at: string;
  /** The execution that failed. */
  execution: string;
  /** How often that execution had been redriven when it failed (0: never). */
  redriveCount: number;
}

export const CAUSE_MAX_LENGTH = 1000;

/** Who erased a case's personal data, and when; the reason is in the processing log. */
export interface CaseErasure {
  at: string;
  /** The staff member (sub). */
  by: string;
}

/** The case's current execution, the one to stop or redrive. */
export function executionName(record: Pick<CaseRecord, 'caseId' | 'execution'>): string {
  return record.execution ?? record.caseId;
}

export interface StepRecord {
  caseId: string;
  stepId: string;
  actor: Actor;
  status: StepStatus;
  /** Increases every time a stage is (re)entered, so a re-opened step is a new attempt. */
  visit: number;
  openedAt: string;
  dueAt: string;
  expiresAt: string;
  /** The Step Functions task token. Never leaves the server. */
  taskToken?: string;
  /** Short code that tells several open steps of one phone apart in an SMS reply. */
  shortCode?: string;
  reminders: number;
  escalated: boolean;
  /** The answers, sealed with the case's data key (JSON). */
  dataEnc?: string;
  /** The answers in clear: opened in memory, or as stored before data keys. */
  data?: FormData;
  submittedAt?: string;
  channel?: Channel;
  submittedBy?: string;
  /** The citizen's delegate who answered (delegation/), when not the citizen themselves. */
  delegateId?: string;
  /** Negotiated due dates (functions/proposals/): every proposal about this step, by id. */
  proposals?: Record<string, ProposalRecord>;
  /** The id of the proposal awaiting its answer, if any (one at a time). */
  proposalOpen?: string;
  /** How many proposals were ever made on this step: the optimistic lock of a new one. */
  proposalSeq?: number;
  /** The shift accepted proposals gave this visit's schedule (reminders, due date, expiry). */
  retime?: { visit: number; shiftSeconds: number };
  /**
   * An accepted proposal ended the wait of `taskToken` with Step.Retimed, and no wait has recorded its
   * token since: the re-armed wait will take over an answer that the old token can no longer deliver.
   */
  tokenRetimed?: boolean;
}

export type ProposalStatus = 'OPEN' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED';

/** A proposed due date, kept on its step's item; the reason and note are sealed with the case's key. */
export interface ProposalRecord {
  proposalId: string;
  visit: number;
  by: Actor;
  /** The proposed due date, YYYY-MM-DD (Europe/Amsterdam). */
  dueAt: string;
  /** The step's due date when it was proposed. */
  fromDueAt: string;
  shiftSeconds: number;
  reasonEnc: string;
  at: string;
  status: ProposalStatus;
  answeredAt?: string;
  noteEnc?: string;
}

/** Every event the code writes to a case's log; the console has words for each (console/history-text.ts). */
export const CASE_EVENT_TYPES = [
  'CASE_CREATED',
  'STEP_OPENED',
  'STEP_REMINDED',
  'STEP_ESCALATED',
  'STEP_SUBMITTED',
  'SUBMISSION_REFUSED',
  'CASE_CANCELLED',
  'STAGE_ENTERED',
  'CASE_FAILED',
  'CASE_REDRIVEN',
  'CASE_CONTINUED',
  'CASE_REOPENED',
  'PROPOSAL_MADE',
  'PROPOSAL_ACCEPTED',
  'PROPOSAL_DECLINED',
  'PROPOSAL_EXPIRED',
  'STEP_RETIMED',
  'CASE_ERASED',
  'DATA_EXPORTED',
  'SMS_SENT',
  'SMS_SUPPRESSED',
  'SMS_FAILED',
  'DELEGATE_ADDED',
  'DELEGATE_REVOKED',
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

export interface CaseEvent {
  caseId: string;
  at: string;
  type: CaseEventType;
  actor?: Actor | 'system';
  stepId?: string;
  channel?: Channel;
  detail?: Record<string, unknown>;
}

/**
 * What a submission hands to the state machine through SendTaskSuccess: only the values routing reads
 * (workflows/routing.ts), never the answers themselves, which stay sealed in the table.
 */
export interface Submission {
  stepId: string;
  actor: Actor;
  channel: Channel;
  submittedAt: string;
  data: FormData;
}

/** What the step item keeps of a submission: the answers sealed, and who submitted (staff). */
export interface StoredSubmission {
  stepId: string;
  actor: Actor;
  channel: Channel;
  submittedAt: string;
  dataEnc: string;
  submittedBy?: string;
  /** A delegate answered for the citizen (delegation/). */
  delegateId?: string;
  /**
   * When the step had opened for the form that sent this answer (its `openedAt`): the answer holds only
   * for that opening, not for one the step had since (its stage ran again). Not written; a condition.
   */
  openedAt?: string;
}
