import { describe, expect, it } from 'vitest';
import type { StepRecord } from '../../../functions/domain/model';
import { type CaseStanding, caseStatusDto, refusedStatus } from '../../../functions/domain/status-view';
import { services } from '../../../workflows/catalog';

const carePlan = services.find((s) => s.id === 'care-plan');
if (!carePlan) throw new Error('care-plan is in the catalog');

const step = (stepId: string, visit: number, status: 'OPEN' | 'DONE'): CaseStanding['steps'][number] => ({
  stepId,
  visit,
  status,
  openedAt: '2026-03-02T09:00:00.000Z',
  dueAt: '2026-03-09T09:00:00.000Z',
  expiresAt: '2026-03-16T09:00:00.000Z',
  reminders: 0,
  escalated: false,
  ...(status === 'DONE' && { submittedAt: '2026-03-03T09:00:00.000Z', channel: 'web' as const }),
});

function standing(steps: CaseStanding['steps']): CaseStanding {
  return {
    case: {
      caseId: 'c-1',
      serviceId: 'care-plan',
      org: 'zp0001',
      status: 'ACTIVE',
      stage: 'agreement',
      createdAt: '2026-03-01T09:00:00.000Z',
      updatedAt: '2026-03-04T09:00:00.000Z',
    },
    steps,
  };
}

const statusOf = (view: CaseStanding, stepId: string) =>
  caseStatusDto(carePlan, view).steps.find((s) => s.stepId === stepId)?.status;

describe('where a case stands', () => {
  it('shows a step that opens after another as not yet reached while the stage runs again without it', () => {
    // The patient rejected the plan in the stage's first visit (2); after the assessment the provider
    // is writing a new one (visit 4): the old "no" is not where the case stands.
    const view = standing([
      step('own-possibilities', 3, 'DONE'),
      step('provider-assessment', 3, 'DONE'),
      step('propose-plan', 4, 'OPEN'),
      step('accept-plan', 2, 'DONE'),
    ]);
    expect(statusOf(view, 'accept-plan')).toBe('PENDING');
    expect(statusOf(view, 'propose-plan')).toBe('OPEN');
    // Steps that open at their stage's entry keep their own record's status.
    expect(statusOf(view, 'own-possibilities')).toBe('DONE');
  });

  it('shows it as it is once it opened in the same visit as its chain, and in an earlier stage visit', () => {
    const reopened = standing([step('propose-plan', 4, 'DONE'), step('accept-plan', 4, 'OPEN')]);
    expect(statusOf(reopened, 'accept-plan')).toBe('OPEN');
    const done = standing([step('propose-plan', 2, 'DONE'), step('accept-plan', 2, 'DONE')]);
    expect(statusOf(done, 'accept-plan')).toBe('DONE');
    expect(statusOf(standing([]), 'accept-plan')).toBe('PENDING');
  });
});

describe('the status a refusal names', () => {
  const agreement = carePlan.stages.find((s) => s.id === 'agreement');
  if (!agreement) throw new Error('care-plan has an agreement stage');
  const repoOf = (records: CaseStanding['steps']) => {
    const reads: string[] = [];
    return {
      reads,
      getStep: async (_caseId: string, stepId: string) => {
        reads.push(stepId);
        return records.find((r) => r.stepId === stepId) as StepRecord | undefined;
      },
    };
  };

  it('is PENDING for a step not reached again in this visit, as the views show it', async () => {
    const repo = repoOf([step('propose-plan', 4, 'OPEN'), step('accept-plan', 2, 'DONE')]);
    expect(await refusedStatus(repo, 'c-1', agreement, step('accept-plan', 2, 'DONE'))).toBe('PENDING');
    expect(repo.reads).toEqual(['propose-plan']);
  });

  it("is the record's own status otherwise, reading nothing more for a step that opens at the entry", async () => {
    const repo = repoOf([step('propose-plan', 4, 'DONE'), step('accept-plan', 4, 'DONE')]);
    expect(await refusedStatus(repo, 'c-1', agreement, step('accept-plan', 4, 'DONE'))).toBe('DONE');
    expect(await refusedStatus(repo, 'c-1', agreement, step('propose-plan', 4, 'DONE'))).toBe('DONE');
    expect(await refusedStatus(repo, 'c-1', agreement, undefined)).toBe('PENDING');
    expect(repo.reads).toEqual(['propose-plan']);
  });
});
