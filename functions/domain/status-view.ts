import type { Service, Stage, Step } from '../../workflows/schema';
import type { CaseDto, CaseStatusDto, StepStatus } from './case-dto';
import type { CaseRecord, StepRecord } from './model';
import type { CaseView } from './ports';

// Where a case stands, for a system that polls it (GET /cases/{caseId}?view=status): every step of both
// partners in the order of the definition, with statuses and timings only. Nothing in it is personal,
// so it is built without the case's key and logs no processing record; a poll each minute leaves the
// case's processing log to the people who read the case.

/** One step of the definition as it stands: PENDING while the case has not reached it. */
export function stepStatus(stage: Stage, definition: Step, record: StepRecord | undefined): StepStatus {
  const base = { stepId: definition.id, stage: stage.id, actor: definition.actor };
  if (!record) return { ...base, status: 'PENDING' };
  return {
    ...base,
    status: record.status,
    openedAt: record.openedAt,
    dueAt: record.dueAt,
    expiresAt: record.expiresAt,
    reminders: record.reminders,
    escalated: record.escalated,
    ...(record.submittedAt !== undefined && { submittedAt: record.submittedAt }),
    ...(record.channel !== undefined && { channel: record.channel }),
  };
}

/** While FAILED, what ended the execution and when: for staff, who may redrive it. */
export function failureShown(record: CaseRecord): CaseDto['failure'] {
  if (record.status !== 'FAILED' || !record.failure) return undefined;
  const { error, cause, at, execution } = record.failure;
  return { error, cause, at, execution };
}

export function caseStatusDto(service: Service, view: Pick<CaseView, 'case' | 'steps'>): CaseStatusDto {
  const stored = view.case;
  const records = new Map(view.steps.map((step) => [step.stepId, step]));
  const failure = failureShown(stored);
  return {
    caseId: stored.caseId,
    serviceId: stored.serviceId,
    org: stored.org,
    status: stored.status,
    ...(stored.stage !== undefined && { stage: stored.stage }),
    ...(failure && { failure }),
    ...(stored.erased && { erased: { at: stored.erased.at } }),
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    steps: service.stages.flatMap((stage) =>
      stage.steps.map((definition) => stepStatus(stage, definition, records.get(definition.id))),
    ),
  };
}
