// The records a case is made of. Plain data: no AWS types, so domain code and tests
// stay independent of storage.

export type Actor = 'citizen' | 'provider';
export type Locale = 'nl' | 'en';
export type Channel = 'web' | 'sms' | 'api';
export type CaseStatus = 'ACTIVE' | 'COMPLETED' | 'EXPIRED' | 'CANCELLED';
export type StepStatus = 'OPEN' | 'DONE';
export type FieldValue = string | number | boolean;
export type FormData = Record<string, FieldValue>;

/** Personal data as stored: a keyed hash for look-ups, the value itself only encrypted. */
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
  reference?: string;
  /** Set when a round started the case: the case is then also in the byRound index. */
  roundId?: string;
  citizen: Contact;
  /** The service's context values (address, collection date...), JSON, encrypted like the contact. */
  contextEnc?: string;
  createdAt: string;
  updatedAt: string;
  /** Hash of the create request, so that a replayed Idempotency-Key with another body is refused. */
  requestHash: string;
  linkExpiresAt: string;
  cancelReason?: string;
  /** Epoch seconds; DynamoDB TTL removes the whole case after the retention period. */
  ttl: number;
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
  data?: FormData;
  submittedAt?: string;
  channel?: Channel;
  submittedBy?: string;
}

export type CaseEventType =
  | 'CASE_CREATED'
  | 'STEP_OPENED'
  | 'STEP_REMINDED'
  | 'STEP_ESCALATED'
  | 'STEP_SUBMITTED'
  | 'SUBMISSION_REFUSED'
  | 'CASE_CANCELLED'
  | 'SMS_SENT'
  | 'SMS_SUPPRESSED'
  | 'SMS_FAILED';

export interface CaseEvent {
  caseId: string;
  at: string;
  type: CaseEventType | string;
  actor?: Actor | 'system';
  stepId?: string;
  channel?: Channel;
  detail?: Record<string, unknown>;
}

/** What a submission hands to the state machine through SendTaskSuccess. */
export interface Submission {
  stepId: string;
  actor: Actor;
  channel: Channel;
  submittedAt: string;
  data: FormData;
}
