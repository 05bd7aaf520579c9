import type { AnsweredBy, DelegateView } from '../delegation/views';
import type { ProposalView } from '../proposals/view';
import type { CaseWaiting } from '../reports/waiting';
import type { Actor, CaseEvent, CaseFailure, CaseStatus, Channel, FormData, Locale } from './model';
import type { ProcessingEntry } from './processing-log';

// What a caller sees of a case, as it leaves the server (views.ts builds it): every step of BOTH
// partners, in the order of the definition, including the ones not reached yet.

export type Audience = 'provider' | 'citizen';
type Bilingual = { nl: string; en: string };

export interface StepView {
  stepId: string;
  stage: string;
  actor: Actor;
  title: Bilingual;
  /** PENDING: the case has not reached this step (yet). */
  status: 'OPEN' | 'DONE' | 'PENDING';
  openedAt?: string;
  dueAt?: string;
  expiresAt?: string;
  reminders?: number;
  escalated?: boolean;
  submittedAt?: string;
  channel?: Channel;
  /** The answers of this visit of the step (DONE only). */
  data?: FormData;
  /**
   * What was answered in an earlier visit of the step, while this visit is not answered (OPEN, or PENDING
   * until a step that opens after another opens again): a stage that runs again shows the last answers.
   */
  earlierData?: FormData;
  /** A delegate of the citizen answered this step (delegation/). */
  answeredBy?: AnsweredBy;
}

/** A processing log entry; staff also see who and the trace (the citizen never sees staff). */
export type ProcessingView = ProcessingEntry & { by?: string; traceId?: string };

export interface CaseDto {
  caseId: string;
  serviceId: string;
  service: { title: Bilingual; summary: Bilingual };
  org: string;
  status: CaseStatus;
  stage?: string;
  reference?: string;
  cancelReason?: string;
  /** While FAILED, for staff: what ended the execution and when (the citizen sees only the status). */
  failure?: Pick<CaseFailure, 'error' | 'cause' | 'at' | 'execution'>;
  /** The personal data was erased: only statuses and timings are left. */
  erased?: { at: string; by?: string };
  createdAt: string;
  updatedAt: string;
  citizen?: { name?: string; phone?: string; email?: string; locale: Locale };
  /** The service's context values (address, collection date...): both partners may see them. */
  context?: FormData;
  stages: { stageId: string; title: Bilingual }[];
  steps: StepView[];
  events: Pick<CaseEvent, 'at' | 'type' | 'actor' | 'stepId' | 'channel' | 'detail'>[];
  /** Every time staff read or changed the case's personal data (newest last): the newest 100 in a view. */
  processingLog: ProcessingView[];
  /** There are older processing records than processingLog holds (the citizen's export holds them all). */
  processingLogOlder?: true;
  /** Who waited on whom, in seconds, per stage visit and in all (reports/waiting.ts); running visits up to now. */
  waiting: CaseWaiting;
  /** For the citizen: until when their link works (a helper's link cannot outlast it). */
  linkExpiresAt?: string;
  /** The citizen's active delegates (delegation/): set by the routes that show them. */
  delegates?: DelegateView[];
  /** Proposed due dates of either partner, oldest first (functions/proposals/view.ts). */
  proposals?: ProposalView[];
}

/**
 * How a page shows a step: one still OPEN when its case ended (expired or stopped before it was
 * answered) takes no answer any more, so it reads CLOSED, without a due date to keep. The API keeps
 * the step as it stood; the case's own status says that it ended.
 */
export function shownStepStatus(
  step: Pick<StepView, 'status'>,
  caseStatus: CaseStatus,
): StepView['status'] | 'CLOSED' {
  const ended = caseStatus !== 'ACTIVE' && caseStatus !== 'FAILED';
  return step.status === 'OPEN' && ended ? 'CLOSED' : step.status;
}

/** A step in a status view: its status and timings, never its answers or who answered. */
export type StepStatus = Omit<StepView, 'title' | 'data' | 'answeredBy'>;

/**
 * GET /cases/{caseId}?view=status (status-view.ts): where the case stands, for a system that polls it.
 * Statuses and timings only, which stay in clear on purpose: nothing personal, so it is no logged read.
 */
export interface CaseStatusDto
  extends Pick<
    CaseDto,
    'caseId' | 'serviceId' | 'org' | 'status' | 'stage' | 'failure' | 'createdAt' | 'updatedAt'
  > {
  /** When the personal data was erased, not by whom. */
  erased?: { at: string };
  steps: StepStatus[];
}

/**
 * 'all': personal data opened (the case page, the API, the export). 'none': statuses and timings
 * only, for lists and statistics that show nothing personal (and so log no processing).
 */
export type Opening = 'all' | 'none';
