import type { Service } from '../../workflows/schema';
import {
  type AnsweredBy,
  answeredBy,
  type DelegateView,
  delegateNames,
  namedDetail,
} from '../delegation/views';
import { isProposalEvent, type ProposalView, proposalDetail, proposalViews } from '../proposals/view';
import { type CaseWaiting, caseWaiting } from '../reports/waiting';
import { caseCipher, type DataCipher } from './case-keys';
import type {
  Actor,
  CaseEvent,
  CaseFailure,
  CaseRecord,
  CaseStatus,
  Channel,
  FormData,
  Locale,
  StepRecord,
} from './model';
import type { PiiVault } from './pii';
import type { CaseView } from './ports';
import { type DataCategory, type ProcessingEntry, processingEntry } from './processing-log';

// What a caller sees of a case: every step of BOTH partners, in the order of the definition,
// including the ones not reached yet. Nothing secret leaves: no task tokens, no data keys, no sealed
// values; personal data is opened here, in memory, with the case's key. Once a case is erased nothing
// personal can be opened any more: the view then shows what is left (statuses and timings).

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
  data?: FormData;
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
  /** Every time staff read or changed the case's personal data (newest last). */
  processingLog: ProcessingView[];
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
 * 'all': personal data opened (the case page, the API, the export). 'none': statuses and timings
 * only, for lists and statistics that show nothing personal (and so log no processing).
 */
export type Opening = 'all' | 'none';

export function maskPhone(phone: string): string {
  return phone.length <= 5
    ? '*'.repeat(phone.length)
    : `${phone.slice(0, 3)}${'*'.repeat(phone.length - 5)}${phone.slice(-2)}`;
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 1 ? '***' : `${email[0]}***${email.slice(at)}`;
}

/** A closed cipher for views that open nothing personal. */
const NOTHING: DataCipher = {
  seal: () => {
    throw new Error('a view that opens nothing seals nothing');
  },
  open: () => undefined,
  sealJson: () => {
    throw new Error('a view that opens nothing seals nothing');
  },
  openJson: () => undefined,
};

/** The answers of a step: sealed with the case's key, or in clear from before data keys. */
function answersOf(cipher: DataCipher, step: StepRecord): FormData | undefined {
  if (step.dataEnc !== undefined) return cipher.openJson<FormData>(step.dataEnc);
  return cipher === NOTHING ? undefined : step.data;
}

function contextOf(cipher: DataCipher, sealed: string | undefined): FormData | undefined {
  const value = cipher.openJson<unknown>(sealed);
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as FormData) : undefined;
}

/** A value in clear from before data keys is shown like an opened one, unless nothing may be opened. */
function legacy(cipher: DataCipher, clear: string | undefined): string | undefined {
  return cipher === NOTHING ? undefined : clear;
}

export function caseDto(
  service: Service,
  view: CaseView,
  audience: Audience,
  vault: PiiVault,
  opening: Opening = 'all',
  now: Date = new Date(),
): CaseDto {
  const c = view.case;
  const cipher = opening === 'all' ? caseCipher(vault, c) : NOTHING;
  const records = new Map(view.steps.map((s) => [s.stepId, s]));
  const names = delegateNames(cipher, view.delegates ?? []);
  const steps = service.stages.flatMap((stage) =>
    stage.steps.map((def): StepView => {
      const base = { stepId: def.id, stage: stage.id, actor: def.actor, title: def.title };
      const r = records.get(def.id);
      if (!r) return { ...base, status: 'PENDING' };
      const data = answersOf(cipher, r);
      return {
        ...base,
        status: r.status,
        openedAt: r.openedAt,
        dueAt: r.dueAt,
        expiresAt: r.expiresAt,
        reminders: r.reminders,
        escalated: r.escalated,
        ...(r.submittedAt !== undefined && { submittedAt: r.submittedAt }),
        ...(r.channel !== undefined && { channel: r.channel }),
        ...(data !== undefined && { data }),
        ...(r.delegateId !== undefined && { answeredBy: answeredBy(names, r.delegateId) }),
      };
    }),
  );
  const dto: CaseDto = {
    caseId: c.caseId,
    serviceId: c.serviceId,
    service: { title: service.title, summary: service.summary },
    org: c.org,
    status: c.status,
    ...(c.stage !== undefined && { stage: c.stage }),
    ...(c.erased && { erased: { at: c.erased.at, ...(audience === 'provider' && { by: c.erased.by }) } }),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    ...(audience === 'citizen' && { linkExpiresAt: c.linkExpiresAt }),
    stages: service.stages.map((s) => ({ stageId: s.id, title: s.title })),
    steps,
    // The citizen sees what happened, not the staff's notes in the details.
    events: view.events.map(({ at, type, actor, stepId, channel, detail }) => ({
      at,
      type,
      ...(actor !== undefined && { actor }),
      ...(stepId !== undefined && { stepId }),
      ...(channel !== undefined && { channel }),
      ...(audience === 'provider' &&
        detail !== undefined && { detail: namedDetail(names, openDetail(cipher, detail)) }),
      // A reopening tells both partners why: the citizen sees its reason and stage too.
      ...(audience === 'citizen' &&
        type === 'CASE_REOPENED' &&
        detail !== undefined && { detail: reopenedDetail(cipher, detail) }),
      // Both partners see a proposal's history with its reason and note.
      ...(isProposalEvent(type) && detail !== undefined && { detail: proposalDetail(cipher, detail) }),
    })),
    processingLog: (view.processing ?? []).map((record) => ({
      ...processingEntry(record, service),
      ...(record.delegateId !== undefined && { delegate: answeredBy(names, record.delegateId) }),
      ...(audience === 'provider' && { by: record.by, traceId: record.traceId }),
    })),
    waiting: caseWaiting(service, view.events, { status: c.status, at: c.updatedAt }, now),
  };
  const proposals = proposalViews(view.steps, cipher);
  if (proposals.length > 0) dto.proposals = proposals;
  // The citizen's own case only ever reaches this function through their link token.
  const context = contextOf(cipher, c.contextEnc);
  if (context !== undefined) dto.context = context;
  if (audience === 'provider') {
    const reference = cipher.open(c.referenceEnc) ?? legacy(cipher, c.reference);
    const cancelReason = cipher.open(c.cancelReasonEnc) ?? legacy(cipher, c.cancelReason);
    if (reference !== undefined) dto.reference = reference;
    if (cancelReason !== undefined) dto.cancelReason = cancelReason;
    if (c.status === 'FAILED' && c.failure) {
      const { error, cause, at, execution } = c.failure;
      dto.failure = { error, cause, at, execution };
    }
    const name = cipher.open(c.citizen.nameEnc);
    const phone = cipher.open(c.citizen.phoneEnc);
    const email = cipher.open(c.citizen.emailEnc);
    dto.citizen = {
      locale: c.citizen.locale,
      ...(name !== undefined && { name }),
      ...(phone !== undefined && { phone: maskPhone(phone) }),
      ...(email !== undefined && { email: maskEmail(email) }),
    };
  }
  return dto;
}

function reopenedDetail(cipher: DataCipher, detail: Record<string, unknown>): Record<string, unknown> {
  const { reason, stageId } = openDetail(cipher, detail);
  return { ...(reason !== undefined && { reason }), ...(stageId !== undefined && { stageId }) };
}

/** A sealed reason in an event's detail is shown opened (or left out once it cannot be). */
function openDetail(cipher: DataCipher, detail: Record<string, unknown>): Record<string, unknown> {
  if (typeof detail.reasonEnc !== 'string') return detail;
  const { reasonEnc, ...rest } = detail;
  const reason = cipher.open(reasonEnc);
  return reason === undefined ? rest : { ...rest, reason };
}

/** The categories of personal data a view shows: what a read of it is logged as. */
export function categoriesShown(dto: CaseDto): DataCategory[] {
  const found: DataCategory[] = [];
  const citizen = dto.citizen;
  if (citizen && (citizen.name ?? citizen.phone ?? citizen.email) !== undefined) found.push('contact');
  if (dto.reference !== undefined) found.push('reference');
  if (dto.context !== undefined) found.push('context');
  if (dto.steps.some((s) => s.actor === 'citizen' && s.data !== undefined)) found.push('answers');
  if (dto.steps.some((s) => s.actor === 'provider' && s.data !== undefined)) found.push('notes');
  return found;
}

/** The provider's reference of a case, opened with its key (what lists show). */
export function referenceOf(vault: PiiVault, c: CaseRecord): string | undefined {
  return caseCipher(vault, c).open(c.referenceEnc) ?? (c.erased ? undefined : c.reference);
}

/** The short form in lists: the reference opened, which a read of the list logs. */
export function caseSummary(c: CaseRecord, reference: string | undefined) {
  return {
    caseId: c.caseId,
    serviceId: c.serviceId,
    status: c.status,
    ...(c.stage !== undefined && { stage: c.stage }),
    ...(reference !== undefined && { reference }),
    ...(c.erased && { erased: true }),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** A step record as it may leave the server: without the task token or sealed values. */
export function publicStep(
  step: StepRecord,
): Omit<
  StepRecord,
  'taskToken' | 'dataEnc' | 'proposals' | 'proposalOpen' | 'proposalSeq' | 'retime' | 'tokenRetimed'
> {
  // Proposals hold sealed reasons; the case view shows them opened (proposals/view.ts).
  const {
    taskToken: _secret,
    dataEnc: _sealed,
    proposals: _proposals,
    proposalOpen: _open,
    proposalSeq: _seq,
    retime: _retime,
    tokenRetimed: _retimed,
    ...rest
  } = step;
  return rest;
}
