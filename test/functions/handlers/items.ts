import { keys } from '../../../functions/adapters/table-keys';
import type { CaseRecord, StepRecord } from '../../../functions/domain/model';

// Table items as the repository stores them, for handler tests that mock DynamoDB.

export function caseItem(over: Partial<CaseRecord> = {}): Record<string, unknown> {
  const record: CaseRecord = {
    caseId: 'case1',
    serviceId: 'waste-collection',
    org: 'gm0363',
    status: 'ACTIVE',
    stage: 'prepare',
    citizen: { locale: 'nl' },
    createdAt: '2026-03-01T09:00:00.000Z',
    updatedAt: '2026-03-01T09:00:00.000Z',
    requestHash: 'hash',
    linkExpiresAt: '2099-06-01T09:00:00.000Z',
    ttl: 4_000_000_000,
    ...over,
  };
  return { ...keys.case(record.caseId), ...record, visits: 1 };
}

export function stepItem(over: Partial<StepRecord> = {}): Record<string, unknown> {
  const step: StepRecord = {
    caseId: 'case1',
    stepId: 'confirm-address',
    actor: 'citizen',
    status: 'OPEN',
    visit: 1,
    openedAt: '2026-03-01T09:00:00.000Z',
    dueAt: '2026-03-08T09:00:00.000Z',
    expiresAt: '2026-03-15T09:00:00.000Z',
    taskToken: 'tok-1',
    reminders: 0,
    escalated: false,
    ...over,
  };
  return { ...keys.step(step.caseId, step.stepId), ...step, ttl: 4_000_000_000 };
}
