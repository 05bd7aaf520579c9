import type { Service, Stage, Step } from '../../workflows/schema';
import { chainStart } from '../../workflows/stage-order';
import type { CaseDto, CaseStatusDto, StepStatus } from './case-dto';
import type { CaseRecord, StepRecord } from './model';
import type { CaseRepository } from './ports';

// Where a case stands, for a system that polls it (GET /cases/{caseId}?view=status): every step of both
// partners in the order of the definition, with statuses and timings only. Nothing in it is personal,
// so it is built without the case's key and logs no processing record; a poll each minute leaves the
// case's processing log to the people who read the case.

/**
 * The attributes a status view reads of the case item and of each step item: the repository asks DynamoDB
 * for these alone, so no sealed attribute (the case's data key, the citizen, the answers) and no task token
 * ever reaches the function for a poll.
 */
export const CASE_STATUS_FIELDS = [
  'caseId',
  'serviceId',
  'org',
  'status',
  'stage',
  'failure',
  'erased',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof CaseRecord)[];
export const STEP_STATUS_FIELDS = [
  'stepId',
  'status',
  'visit',
  'openedAt',
  'dueAt',
  'expiresAt',
  'reminders',
  'escalated',
  'submittedAt',
  'channel',
] as const satisfies readonly (keyof StepRecord)[];

/** A case as a status view reads it (CASE_STATUS_FIELDS and STEP_STATUS_FIELDS). */
export interface CaseStanding {
  case: Pick<CaseRecord, (typeof CASE_STATUS_FIELDS)[number]>;
  steps: Pick<StepRecord, (typeof STEP_STATUS_FIELDS)[number]>[];
}

type StandingStep = CaseStanding['steps'][number];

/**
 * One step of the definition as it stands: PENDING while the case has not reached it. A step that opens
 * after another (workflows/stage-order.ts) is PENDING too while its record is of an earlier visit than its
 * chain's first step: the stage was entered again and the step has not opened in this visit yet, so its
 * old answer is not where the case stands (a care plan rejected last time, before the new one exists).
 */
export function stepStatus(
  stage: Stage,
  definition: Step,
  records: ReadonlyMap<string, StandingStep>,
): StepStatus {
  const base = { stepId: definition.id, stage: stage.id, actor: definition.actor };
  const record = records.get(definition.id);
  if (!record) return { ...base, status: 'PENDING' };
  const start = chainStart(stage.steps, definition.id);
  const startVisit = start ? records.get(start.id)?.visit : undefined;
  if (startVisit !== undefined && record.visit < startVisit) return { ...base, status: 'PENDING' };
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
export function failureShown(record: Pick<CaseRecord, 'status' | 'failure'>): CaseDto['failure'] {
  if (record.status !== 'FAILED' || !record.failure) return undefined;
  const { error, cause, at, execution } = record.failure;
  return { error, cause, at, execution };
}

export function caseStatusDto(service: Service, view: CaseStanding): CaseStatusDto {
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
      stage.steps.map((definition) => stepStatus(stage, definition, records)),
    ),
  };
}

/**
 * The status a refusal names (an answer or a proposal to a step that is not open), as the views show it
 * (stepStatus): a step that opens after another and is not reached again in this visit is PENDING, not its
 * earlier visit's DONE. Only then is the chain's first step read, to tell.
 */
export async function refusedStatus(
  repo: Pick<CaseRepository, 'getStep'>,
  caseId: string,
  stage: Stage,
  step: Pick<StepRecord, 'stepId' | 'status' | 'visit'> | undefined,
): Promise<StepStatus['status']> {
  if (!step) return 'PENDING';
  const start = chainStart(stage.steps, step.stepId);
  if (step.status !== 'DONE' || !start || start.id === step.stepId) return step.status;
  const first = await repo.getStep(caseId, start.id);
  return first && first.visit > step.visit ? 'PENDING' : step.status;
}
