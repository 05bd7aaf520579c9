import type { Service } from '../../workflows/schema';
import type { CaseDto } from '../domain/case-dto';
import type { CaseRecord } from '../domain/model';
import type { Clock } from '../domain/ports';
import {
  type DataCategory,
  newSpanId,
  type ProcessingAction,
  type ProcessingLog,
  type ProcessingRecord,
  type Trace,
} from '../domain/processing-log';
import { covers, type DelegateRecord } from './model';

// What a delegate sees: the case's steps and where they stand, the answers of the steps handed to them
// (and, with the whole case handed over, the organisation's too), nothing of the citizen's other
// answers, no processing log, no other helpers, no event details. Their every use of the case's data
// is in the processing log, as theirs, so the citizen sees it.
//
// A handed-over step that opens after an organisation's step (workflows/stage-order.ts) is about it:
// the helper asked "do you agree with the care plan?" reads the plan, so that step's answer is shown too.

export function delegateDto(dto: CaseDto, delegate: DelegateRecord, service: Service): CaseDto {
  const whole = delegate.steps === 'all';
  const reviewed = new Set(
    service.stages
      .flatMap((stage) => stage.steps)
      .filter((step) => step.actor === 'citizen' && covers(delegate, step.id))
      .flatMap((step) => (step.after === undefined ? [] : [step.after])),
  );
  const visible = new Set(
    dto.steps
      .filter((step) =>
        step.actor === 'citizen' ? covers(delegate, step.stepId) : whole || reviewed.has(step.stepId),
      )
      .map((step) => step.stepId),
  );
  const steps = dto.steps.map((step) => {
    if (visible.has(step.stepId)) return step;
    const { data: _data, earlierData: _earlier, answeredBy: _by, ...rest } = step;
    return rest;
  });
  const { delegates: _others, proposals, ...rest } = dto;
  return {
    ...rest,
    steps,
    // Proposed dates carry reasons and notes, free text of either partner: those of the steps shown only.
    ...(proposals && { proposals: proposals.filter((p) => visible.has(p.stepId)) }),
    events: dto.events.map(({ detail: _detail, ...event }) => event),
    processingLog: [],
  };
}

/** One processing log record of a delegate's read or answer (within the case's organisation's log). */
export function delegateRecord(
  trace: Trace,
  record: Pick<CaseRecord, 'caseId' | 'serviceId' | 'org'>,
  service: Service,
  delegate: DelegateRecord,
  action: ProcessingAction,
  categories: readonly DataCategory[],
  clock: Clock,
): ProcessingRecord {
  return {
    caseId: record.caseId,
    at: clock.now().toISOString(),
    action,
    categories: [...categories],
    org: record.org,
    by: `delegate:${delegate.delegateId}`,
    serviceId: record.serviceId,
    activity: service.processingActivity.id,
    traceId: trace.traceId,
    spanId: newSpanId(),
    parentSpanId: trace.spanId,
    delegateId: delegate.delegateId,
  };
}

/** Logs it before the data leaves (a use that cannot be logged does not happen); nothing used, nothing logged. */
export async function logDelegateUse(
  log: ProcessingLog,
  ...args: Parameters<typeof delegateRecord>
): Promise<void> {
  const record = delegateRecord(...args);
  if (record.categories.length > 0) await log.append([record]);
}
