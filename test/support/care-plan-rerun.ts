import type { CaseRecord, FormData, StepRecord } from '../../functions/domain/model';
import { findService } from '../../workflows/catalog';
import type { Service } from '../../workflows/schema';

// The care plan's agreement stage run a second time (visit 4) after the patient turned the plan down
// in visit 2: the records the page and view tests build their cases from.

export const carePlan = findService('care-plan') as Service;
const AT = '2026-03-01T00:00:00.000Z';

export function agreementCase(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    caseId: 'c-rerun',
    serviceId: carePlan.id,
    org: 'zorg-utrecht',
    status: 'ACTIVE',
    stage: 'agreement',
    citizen: { locale: 'nl' },
    createdAt: AT,
    updatedAt: AT,
    requestHash: 'h',
    linkExpiresAt: '2099-01-01T00:00:00.000Z',
    ttl: 1,
    ...overrides,
  };
}

/** A step record of the case; `data` in clear (as before data keys) unless `overrides` seals it. */
export function agreementStep(
  stepId: string,
  visit: number,
  status: 'OPEN' | 'DONE',
  data?: FormData,
  overrides: Partial<StepRecord> = {},
): StepRecord {
  const actor = carePlan.stages.flatMap((s) => s.steps).find((s) => s.id === stepId)?.actor ?? 'citizen';
  return {
    caseId: 'c-rerun',
    stepId,
    actor,
    status,
    visit,
    openedAt: AT,
    dueAt: '2026-03-05T00:00:00.000Z',
    expiresAt: '2026-03-09T00:00:00.000Z',
    reminders: 0,
    escalated: false,
    ...(status === 'DONE' && { submittedAt: AT, channel: 'web' as const }),
    ...(data !== undefined && { data }),
    ...overrides,
  };
}
