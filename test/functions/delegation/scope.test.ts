import { describe, expect, it } from 'vitest';
import type { DelegateRecord } from '../../../functions/delegation/model';
import { delegateDto } from '../../../functions/delegation/scope';
import type { CaseDto, StepView } from '../../../functions/domain/case-dto';
import type { ProposalView } from '../../../functions/proposals/view';
import { findService } from '../../../workflows/catalog';
import type { Service } from '../../../workflows/schema';

const wasteCollection = findService('waste-collection') as Service;
const carePlan = findService('care-plan') as Service;

// What a helper's view holds of the case: the answers, and the proposed dates with their reasons and
// notes, of the steps handed over only (the organisation's too when the whole case is handed over).

const title = { nl: 't', en: 't' };
const step = (stepId: string, actor: 'citizen' | 'provider'): StepView => ({
  stepId,
  stage: 'round',
  actor,
  title,
  status: 'DONE',
  data: { note: `answer of ${stepId}` },
});
const proposal = (stepId: string, by: 'citizen' | 'provider'): ProposalView => ({
  proposalId: `p-${stepId}`,
  stepId,
  visit: 1,
  by,
  dueAt: '2026-12-10',
  fromDueAt: '2026-12-03',
  status: 'OPEN',
  at: '2026-12-01T09:00:00.000Z',
  reason: `reason for ${stepId}`,
});
const dto = {
  steps: [step('present', 'citizen'), step('collect', 'provider'), step('household-feedback', 'citizen')],
  proposals: [
    proposal('present', 'citizen'),
    proposal('collect', 'provider'),
    proposal('household-feedback', 'citizen'),
  ],
  events: [],
  processingLog: [],
} as unknown as CaseDto;
const helper = (steps: DelegateRecord['steps']): DelegateRecord => ({
  caseId: 'c1',
  delegateId: 'd1',
  steps,
  createdAt: '2026-12-01T00:00:00.000Z',
  expiresAt: '2027-01-01T00:00:00.000Z',
});

describe("a helper's view", () => {
  it('holds the proposals, reasons and notes of the steps handed over only', () => {
    const one = delegateDto(dto, helper(['household-feedback']), wasteCollection);
    expect(one.proposals?.map((p) => p.stepId)).toEqual(['household-feedback']);
    expect(JSON.stringify(one)).not.toContain('reason for present');
    expect(one.steps.find((s) => s.stepId === 'present')?.data).toBeUndefined();
    const whole = delegateDto(dto, helper('all'), wasteCollection);
    expect(whole.proposals?.map((p) => p.stepId)).toEqual(['present', 'collect', 'household-feedback']);
  });

  it("shows the organisation's step that a handed-over step reviews, and no other of its answers", () => {
    const plan = {
      steps: [
        step('own-possibilities', 'citizen'),
        step('provider-assessment', 'provider'),
        step('propose-plan', 'provider'),
        step('accept-plan', 'citizen'),
      ],
      events: [],
      processingLog: [],
    } as unknown as CaseDto;
    const reviewer = delegateDto(plan, helper(['accept-plan']), carePlan);
    const dataOf = (stepId: string) => reviewer.steps.find((s) => s.stepId === stepId)?.data;
    expect(dataOf('propose-plan')).toEqual({ note: 'answer of propose-plan' });
    expect(dataOf('accept-plan')).toEqual({ note: 'answer of accept-plan' });
    expect(dataOf('provider-assessment')).toBeUndefined();
    expect(dataOf('own-possibilities')).toBeUndefined();
    // A helper of the patient's own possibilities reads no plan.
    const other = delegateDto(plan, helper(['own-possibilities']), carePlan);
    expect(other.steps.find((s) => s.stepId === 'propose-plan')?.data).toBeUndefined();
  });
});
