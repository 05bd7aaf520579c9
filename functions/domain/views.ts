import type { Service } from '../../workflows/schema';
import { answeredBy, type DelegateNames, delegateNames, namedDetail } from '../delegation/views';
import { isProposalEvent, proposalDetail, proposalViews } from '../proposals/view';
import { caseWaiting } from '../reports/waiting';
import type { Audience, CaseDto, Opening, ProcessingView, StepView } from './case-dto';
import { caseCipher, type DataCipher } from './case-keys';
import type { FormData, StepRecord } from './model';
import type { PiiVault } from './pii';
import type { CaseView } from './ports';
import { type DataCategory, type ProcessingRecord, processingEntry } from './processing-log';
import { failureShown, stepStatus } from './status-view';

// What a caller sees of a case: every step of BOTH partners, in the order of the definition,
// including the ones not reached yet. Nothing secret leaves: no task tokens, no data keys, no sealed
// values; personal data is opened here, in memory, with the case's key. Once a case is erased nothing
// personal can be opened any more: the view then shows what is left (statuses and timings).

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
      const r = records.get(def.id);
      const step = { ...stepStatus(stage, def, records), title: def.title };
      if (!r) return step;
      const data = answersOf(cipher, r);
      // A step not answered in this visit keeps the last visit's answer (dynamo-step-invite.ts).
      if (step.status !== 'DONE') return { ...step, ...(data !== undefined && { earlierData: data }) };
      return {
        ...step,
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
    processingLog: (view.processing ?? []).map((record) => processingView(record, service, audience, names)),
    ...(view.processingOlder && { processingLogOlder: true }),
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
    const failure = failureShown(c);
    if (failure) dto.failure = failure;
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
  const answered = (s: CaseDto['steps'][number]) => s.data !== undefined || s.earlierData !== undefined;
  if (dto.steps.some((s) => s.actor === 'citizen' && answered(s))) found.push('answers');
  if (dto.steps.some((s) => s.actor === 'provider' && answered(s))) found.push('notes');
  return found;
}

/**
 * A processing record as a view shows it: the citizen's entry, a helper who used their link (named where
 * `names` holds them, opened with the case's key), and for staff who and the trace.
 */
export function processingView(
  record: ProcessingRecord,
  service: Service,
  audience: Audience,
  names: DelegateNames,
): ProcessingView {
  return {
    ...processingEntry(record, service),
    ...(record.delegateId !== undefined && { delegate: answeredBy(names, record.delegateId) }),
    ...(audience === 'provider' && { by: record.by, traceId: record.traceId }),
  };
}
