import type { Service, Stage, Step } from '../../workflows/schema';
import type { CaseStatusDto, StepStatus } from './case-dto';
import type { StepRecord } from './model';
import type { CaseView } from './ports';

// Where a case stands, for a system that polls it (GET /cases/{caseId}?view=status): every step of both
// partners in the order of the definition, with statuses and timings only. Nothing in it is personal,
// so it is built without the case's key and logs no processing record; a poll each minute leaves the
// case's processing log to the people who read the case.

/** One step of the definition as it stands: PENDING while the case has not reached it. */
export function stepStatus(stage: Stage, def: Step, r: StepRecord | undefined): StepStatus {
  const base = { stepId: def.id, stage: stage.id, actor: def.actor };
  if (!r) return { ...base, status: 'PENDING' };
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
  };
}

export function caseStatusDto(service: Service, view: Pick<CaseView, 'case' | 'steps'>): CaseStatusDto {
  const c = view.case;
  const records = new Map(view.steps.map((s) => [s.stepId, s]));
  const steps = service.stages.flatMap((stage) =>
    stage.steps.map((def) => stepStatus(stage, def, records.get(def.id))),
  );
  const dto: CaseStatusDto = {
    caseId: c.caseId,
    serviceId: c.serviceId,
    org: c.org,
    status: c.status,
    ...(c.stage !== undefined && { stage: c.stage }),
    ...(c.erased && { erased: { at: c.erased.at } }),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    steps,
  };
  if (c.status === 'FAILED' && c.failure) {
    const { error, cause, at, execution } = c.failure;
    dto.failure = { error, cause, at, execution };
  }
  return dto;
}
