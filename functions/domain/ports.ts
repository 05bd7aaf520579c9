import type { CaseEvent, CaseRecord, CaseStatus, StepRecord, Submission } from './model';

// The domain reaches storage, the workflow engine and SMS only through these interfaces.

export interface CaseView {
  case: CaseRecord;
  steps: StepRecord[];
  events: CaseEvent[];
}

export interface CasePage {
  items: CaseRecord[];
  cursor?: string;
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
}

/**
 * 'opened': a new attempt (or a retry of the same invocation).
 * 'rearmed': same attempt, new token after a reminder or escalation timeout.
 * 'already-done': the step was submitted between two wait segments; complete the new token with `step.data`.
 * 'stale': the invocation belongs to an older visit; ignore it.
 */
export type OpenStepResult =
  | { kind: 'opened' | 'rearmed'; step: StepRecord }
  | { kind: 'already-done'; step: StepRecord }
  | { kind: 'stale' };

export interface CaseRepository {
  /** Creates case and link; 'exists' when the caseId is taken (an idempotent replay or a clash). */
  createCase(record: CaseRecord, linkHash: string): Promise<'created' | 'exists'>;
  getCase(caseId: string): Promise<CaseRecord | undefined>;
  getCaseView(caseId: string): Promise<CaseView | undefined>;
  caseIdForLink(linkHash: string): Promise<{ caseId: string; expiresAt: string } | undefined>;
  listCases(query: {
    org: string;
    serviceId: string;
    status?: CaseStatus;
    limit: number;
    cursor?: string;
  }): Promise<CasePage>;
  getStep(caseId: string, stepId: string): Promise<StepRecord | undefined>;
  openStep(input: OpenStepInput, kind: 'invite' | 'reminder' | 'escalation'): Promise<OpenStepResult>;
  /** OPEN -> DONE exactly once, only while the step still holds `taskToken`. */
  completeStep(
    caseId: string,
    visit: number,
    taskToken: string,
    submission: Submission & { submittedBy?: string },
  ): Promise<boolean>;
  /** Undo a completion whose SendTaskSuccess was refused, while the step still holds `taskToken`. */
  revertStep(caseId: string, stepId: string, taskToken: string): Promise<boolean>;
  /** ACTIVE -> `to`, exactly once. */
  closeCase(caseId: string, to: Exclude<CaseStatus, 'ACTIVE'>, reason?: string): Promise<boolean>;
  /**
   * Adds an event to the case's log. With an `id` the event's key is fixed (the same write however
   * often it is made: retries, or every branch of a stage); without one, a fresh id.
   */
  appendEvent(event: CaseEvent, id?: string): Promise<void>;
  openStepsForPhone(phoneHash: string): Promise<StepRecord[]>;
  setOptOut(phoneHash: string, optedOut: boolean): Promise<void>;
  isOptedOut(phoneHash: string): Promise<boolean>;
  /** True the first time a message id is seen: SMS gateways retry webhooks. */
  claimInboundMessage(messageId: string, ttl: number): Promise<boolean>;
}

/** Completing a waiting task needs only its token, not the state machines (open-step has no ARNs: a cycle). */
export interface TaskCompleter {
  /** Throws TokenRejectedError when the token is unknown, closed or timed out. */
  completeTask(taskToken: string, output: Submission): Promise<void>;
}

export interface WorkflowEngine extends TaskCompleter {
  /** Idempotent for the same caseId and input. Returns the execution ARN. */
  startCase(serviceId: string, caseId: string, input: Record<string, unknown>): Promise<string>;
  stopCase(serviceId: string, caseId: string, reason: string): Promise<void>;
}

export interface Notifier {
  sendSms(to: string, text: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}
