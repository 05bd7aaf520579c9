import { randomUUID } from 'node:crypto';
import type { CaseRecord, StoredSubmission } from '../../../functions/domain/model';
import type { OpenStepInput } from '../../../functions/domain/ports';
import type { ProcessingRecord } from '../../../functions/domain/processing-log';

// Records as the domain would hand them to the repository; each call gets fresh ids.

export function caseRecord(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    caseId: randomUUID(),
    serviceId: 'waste-collection',
    org: 'gemeente-utrecht',
    status: 'ACTIVE',
    citizen: { phoneHash: 'phone-hash', phoneEnc: 'v1.sealed', locale: 'nl' },
    createdAt: '2025-03-01T09:00:00.000Z',
    updatedAt: '2025-03-01T09:00:00.000Z',
    requestHash: 'request-hash',
    linkExpiresAt: '2025-05-30T09:00:00.000Z',
    ttl: 1_772_000_000,
    ...overrides,
  };
}

export function stepInput(caseId: string, overrides: Partial<OpenStepInput> = {}): OpenStepInput {
  return {
    caseId,
    stepId: 'separate-waste',
    actor: 'citizen',
    visit: 1,
    taskToken: `token-${randomUUID()}`,
    openedAt: '2025-03-01T09:00:05.000Z',
    dueAt: '2025-03-08T09:00:05.000Z',
    expiresAt: '2025-03-15T09:00:05.000Z',
    ...overrides,
  };
}

/** A submission as the step item keeps it: the answers sealed (the repository never sees them in clear). */
export function submission(overrides: Partial<StoredSubmission> = {}): StoredSubmission {
  return {
    stepId: 'separate-waste',
    actor: 'citizen',
    channel: 'web',
    submittedAt: '2025-03-02T10:00:00.000Z',
    dataEnc: 'v2.iv.sealed-answers.tag',
    ...overrides,
  };
}

/** Processing record number i of a case (a read by staff-<i>), one second after the one before. */
export function processingRecord(caseId: string, i: number): ProcessingRecord {
  return {
    caseId,
    at: new Date(Date.UTC(2026, 2, 2, 9, 0, i)).toISOString(),
    action: 'read',
    categories: ['answers'],
    org: 'gemeente-utrecht',
    by: `staff-${i}`,
    serviceId: 'waste-collection',
    activity: 'afvalinzameling',
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: i.toString(16).padStart(16, '0'),
    parentSpanId: 'b7ad6b7169203331',
  };
}
