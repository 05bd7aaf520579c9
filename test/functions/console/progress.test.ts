import { describe, expect, it } from 'vitest';
import { median, progressOf, stageTimings, waitingCounts } from '../../../functions/console/progress';
import { PiiVault } from '../../../functions/domain/pii';
import type { CaseView } from '../../../functions/domain/ports';
import { caseDto } from '../../../functions/domain/views';
import { findService } from '../../../workflows/catalog';
import type { Service } from '../../../workflows/schema';

const service = findService('waste-collection') as Service;
const vault = new PiiVault('console-test-key-0123456789abcdefghijklmnop');
const round = service.stages[0];
const citizenStep = round?.steps.find((s) => s.actor === 'citizen')?.id as string;
const providerStep = round?.steps.find((s) => s.actor === 'provider')?.id as string;

function view(
  steps: Partial<CaseView['steps'][number]>[],
  status: CaseView['case']['status'] = 'ACTIVE',
): CaseView {
  return {
    case: {
      caseId: 'c1',
      serviceId: service.id,
      org: 'gm0363',
      status,
      citizen: { locale: 'nl' },
      createdAt: '2026-03-01T00:00:00.000Z',
      updatedAt: '2026-03-01T00:00:00.000Z',
      requestHash: 'h',
      linkExpiresAt: '2099-01-01T00:00:00.000Z',
      ttl: 1,
    },
    steps: steps.map((s) => ({
      caseId: 'c1',
      stepId: 'x',
      actor: 'citizen',
      status: 'OPEN',
      visit: 1,
      openedAt: '2026-03-01T00:00:00.000Z',
      dueAt: '2026-03-05T00:00:00.000Z',
      expiresAt: '2026-03-09T00:00:00.000Z',
      reminders: 0,
      escalated: false,
      ...s,
    })),
    events: [],
  };
}

const now = Date.parse('2026-03-06T00:00:00.000Z');

describe('console figures', () => {
  it("counts each side's steps and who the case waits on", () => {
    const dto = caseDto(
      service,
      view([
        { stepId: citizenStep, actor: 'citizen' },
        { stepId: providerStep, actor: 'provider', status: 'DONE', submittedAt: '2026-03-01T06:00:00.000Z' },
      ]),
      'provider',
      vault,
    );
    const p = progressOf(dto, now);
    expect(p.citizen).toMatchObject({ done: 0, open: 1, overdue: 1 });
    expect(p.provider).toMatchObject({ done: 1, open: 0, overdue: 0 });
    expect(p.citizen.total + p.provider.total).toBe(service.stages.flatMap((s) => s.steps).length);
    expect(p.waitingOn).toBe('citizen');
    const both = caseDto(
      service,
      view([
        { stepId: citizenStep, actor: 'citizen' },
        { stepId: providerStep, actor: 'provider' },
      ]),
      'provider',
      vault,
    );
    expect(progressOf(both, Date.parse('2026-03-02T00:00:00.000Z'))).toMatchObject({
      waitingOn: 'both',
      citizen: { overdue: 0 },
    });
    const closed = caseDto(service, view([{ stepId: citizenStep }], 'COMPLETED'), 'provider', vault);
    expect(progressOf(closed, now).waitingOn).toBe('none');
  });

  it('counts a step left open when its case ended neither as open nor as overdue', () => {
    for (const status of ['EXPIRED', 'CANCELLED'] as const) {
      const ended = caseDto(service, view([{ stepId: citizenStep }], status), 'provider', vault);
      expect(ended.steps.find((s) => s.stepId === citizenStep)?.status).toBe('OPEN');
      expect(progressOf(ended, now).citizen).toMatchObject({ open: 0, overdue: 0 });
    }
    const failed = caseDto(service, view([{ stepId: citizenStep }], 'FAILED'), 'provider', vault);
    expect(progressOf(failed, now).citizen).toMatchObject({ open: 1, overdue: 1 });
  });

  it('takes the median hours from opened to submitted per stage and side', () => {
    const done = (actor: 'citizen' | 'provider', stepId: string, hours: number) => ({
      stepId,
      actor,
      status: 'DONE' as const,
      submittedAt: new Date(Date.parse('2026-03-01T00:00:00.000Z') + hours * 3_600_000).toISOString(),
    });
    const cases = [
      view([done('citizen', citizenStep, 2), done('provider', providerStep, 10)]),
      view([done('citizen', citizenStep, 4), done('provider', providerStep, 30)]),
      view([done('citizen', citizenStep, 9), { stepId: providerStep, actor: 'provider' }]),
    ].map((v) => caseDto(service, v, 'provider', vault));
    const [first, second] = stageTimings(service, cases);
    expect(first).toMatchObject({
      stageId: round?.id,
      citizen: 4,
      provider: 20,
      samples: { citizen: 3, provider: 2 },
    });
    expect(second?.citizen).toBeUndefined();
    expect(second?.samples).toEqual({ citizen: 0, provider: 0 });
  });

  it('computes medians and waiting counts', () => {
    expect(median([])).toBeUndefined();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const p = (waitingOn: 'citizen' | 'provider' | 'both' | 'none') =>
      ({ waitingOn }) as Parameters<typeof waitingCounts>[0][number];
    expect(waitingCounts([p('citizen'), p('both'), p('citizen'), p('none')])).toEqual({
      citizen: 2,
      provider: 0,
      both: 1,
    });
  });
});
