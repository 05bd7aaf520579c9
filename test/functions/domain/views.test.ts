import { describe, expect, it } from 'vitest';
import { delegateDto } from '../../../functions/delegation/scope';
import { caseCipher, caseOwner, newDataKey } from '../../../functions/domain/case-keys';
import type { FormData } from '../../../functions/domain/model';
import { PiiVault } from '../../../functions/domain/pii';
import { caseDto, categoriesShown } from '../../../functions/domain/views';
import { agreementCase, agreementStep, carePlan } from '../../support/care-plan-rerun';

// A stage that runs again: the steps keep the last visit's answers (dynamo-step-invite.ts), which the
// views show as earlier answers, never as the answers of the visit that runs.

const vault = new PiiVault('views-test-key-0123456789abcdefghijklmnopqrs');
const record = agreementCase({ dataKey: newDataKey(vault, caseOwner('c-rerun')).wrapped });
const cipher = caseCipher(vault, record);
const sealed = (data: FormData) => ({ dataEnc: cipher.sealJson(data) });

/** The second visit of the agreement (4): the provider writes a new plan; the patient said no in visit 2. */
const steps = [
  agreementStep('propose-plan', 4, 'OPEN', undefined, sealed({ plan: 'plan A' })),
  agreementStep('accept-plan', 2, 'DONE', undefined, sealed({ agrees: false, note: 'te weinig uren' })),
];
const view = { case: record, steps, events: [] };

describe('earlier answers in a case view', () => {
  it('shows the last visit’s answers as earlier ones, of an open step and of one not reached again', () => {
    const dto = caseDto(carePlan, view, 'provider', vault);
    const of = (stepId: string) => dto.steps.find((s) => s.stepId === stepId);
    expect(of('propose-plan')).toMatchObject({ status: 'OPEN', earlierData: { plan: 'plan A' } });
    expect(of('propose-plan')).not.toHaveProperty('data');
    expect(of('accept-plan')).toMatchObject({ status: 'PENDING', earlierData: { note: 'te weinig uren' } });
    expect(of('accept-plan')).not.toHaveProperty('data');
    // A read of them is a read of answers and notes (the processing log).
    expect(categoriesShown(dto)).toEqual(['answers', 'notes']);
  });

  it('keeps them from a helper who was not handed the step, and shows the reviewed plan to one who was', () => {
    const dto = caseDto(carePlan, view, 'citizen', vault);
    const helper = (handed: string[]) =>
      delegateDto(
        dto,
        {
          caseId: record.caseId,
          delegateId: 'd1',
          steps: handed,
          createdAt: record.createdAt,
          expiresAt: '2099-01-01T00:00:00.000Z',
        },
        carePlan,
      );
    const other = helper(['own-possibilities']);
    expect(other.steps.some((s) => s.earlierData !== undefined)).toBe(false);
    expect(categoriesShown(other)).toEqual([]);
    const reviewer = helper(['accept-plan']);
    expect(reviewer.steps.find((s) => s.stepId === 'propose-plan')?.earlierData).toEqual({ plan: 'plan A' });
  });
});
