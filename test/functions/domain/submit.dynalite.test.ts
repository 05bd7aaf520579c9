import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { providerOf } from '../../../functions/domain/access';
import { createCase } from '../../../functions/domain/cases';
import { PiiVault } from '../../../functions/domain/pii';
import { submitStep } from '../../../functions/domain/submit';
import { caseDto } from '../../../functions/domain/views';
import type { AppError } from '../../../functions/shared/errors';
import { type LocalTable, localDocumentClient, startDynalite } from '../../support/dynalite';
import { FakeEngine, fixedClock } from '../../support/fakes';
import { testService } from '../../support/service-fixture';
import { staffOf } from '../../support/staff';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/service-fixture')).catalogMock,
);

// The exactly-once guarantees of submitStep rest on DynamoDB's conditional writes: checked here
// against a real DynamoDB API (dynalite) with the real repository.

const vault = new PiiVault('a-test-key-that-is-long-enough-0123456789');
const staff = staffOf(
  providerOf({ 'custom:org': 'gm0363', 'custom:orgKind': 'municipality', sub: 'staff-1' }),
);
let table: LocalTable;
let repo: DynamoCaseRepository;
const engine = new FakeEngine();
const clock = fixedClock('2026-03-02T09:00:00.000Z');

beforeAll(async () => {
  table = await startDynalite();
  repo = new DynamoCaseRepository(localDocumentClient(table.endpoint), table.tableName, clock);
});
afterAll(async () => table?.stop());

async function openCase(phone?: string): Promise<string> {
  const deps = {
    repo,
    log: repo,
    engine,
    clock,
    vault,
    publicUrl: 'https://x.nl',
    linkTtlDays: 90,
    retentionDays: 365,
  };
  const { result } = await createCase(deps, staff, {
    serviceId: 'waste-collection',
    citizen: phone ? { phone } : {},
  });
  await repo.openStep(
    {
      caseId: result.caseId,
      stepId: 'confirm-address',
      actor: 'citizen',
      visit: 1,
      taskToken: `tok-${result.caseId}`,
      openedAt: '2026-03-02T09:00:00.000Z',
      dueAt: '2026-03-09T09:00:00.000Z',
      expiresAt: '2026-03-16T09:00:00.000Z',
      ...(phone && { phoneHash: vault.hash(phone) }),
    },
    'invite',
  );
  return result.caseId;
}

const request = (caseId: string, correct: boolean) => ({
  caseId,
  stepId: 'confirm-address',
  actor: 'citizen' as const,
  channel: 'web' as const,
  data: { correct },
});

describe('submitStep on DynamoDB', () => {
  it('refuses a form served before the step opened again, and saves one served for this opening', async () => {
    const caseId = await openCase();
    const deps = { repo, engine, clock, vault };
    // The page was served when the step had opened a week earlier: its stage has run again since.
    const stale = { ...request(caseId, false), openedAt: '2026-02-23T09:00:00.000Z' };
    const refused = (await submitStep(deps, stale).catch((e: unknown) => e)) as AppError;
    expect(refused).toMatchObject({
      code: 'STEP_REOPENED',
      details: { stepId: 'confirm-address', openedAt: '2026-03-02T09:00:00.000Z' },
    });
    expect((await repo.getStep(caseId, 'confirm-address'))?.status).toBe('OPEN');
    expect(engine.completed.filter((c) => c.taskToken === `tok-${caseId}`)).toHaveLength(0);
    const current = { ...request(caseId, true), openedAt: '2026-03-02T09:00:00.000Z' };
    await submitStep(deps, current);
    expect((await repo.getStep(caseId, 'confirm-address'))?.status).toBe('DONE');
    expect(engine.completed.filter((c) => c.taskToken === `tok-${caseId}`)).toHaveLength(1);
  });

  it('lets exactly one of ten concurrent submissions through', async () => {
    const caseId = await openCase();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        submitStep({ repo, engine, clock, vault }, request(caseId, i % 2 === 0)),
      ),
    );
    const winners = results.filter((r) => r.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as AppError).code] : []));
    expect(new Set(codes)).toEqual(new Set(['STEP_NOT_OPEN']));
    expect(engine.completed.filter((c) => c.taskToken === `tok-${caseId}`)).toHaveLength(1);
    const view = await repo.getCaseView(caseId);
    expect(view?.events.filter((e) => e.type === 'STEP_SUBMITTED')).toHaveLength(1);
    const dto = caseDto(testService, view as NonNullable<typeof view>, 'citizen', vault);
    expect(dto.steps[0]).toMatchObject({ stepId: 'confirm-address', status: 'DONE', channel: 'web' });
    // The winner's answer, opened from its sealed form.
    const won = engine.completed.find((c) => c.taskToken === `tok-${caseId}`);
    expect(typeof dto.steps[0]?.data?.correct).toBe('boolean');
    expect(won?.output.data).toEqual({});
    expect(dto.steps[1]?.status).toBe('PENDING');
  });

  it('puts the step back (also into the phone index) when its last wait refused the token, so a retry works', async () => {
    const phone = '+31612340000';
    const caseId = await openCase(phone);
    engine.rejected.add(`tok-${caseId}`);
    // At the step's expiry: the refused wait was its last one, so no later wait takes the answer.
    const atExpiry = fixedClock('2026-03-16T09:00:00.000Z');
    await expect(
      submitStep({ repo, engine, clock: atExpiry, vault }, request(caseId, true)),
    ).rejects.toMatchObject({
      code: 'TOKEN_EXPIRED',
    });
    expect(await repo.getStep(caseId, 'confirm-address')).toMatchObject({ status: 'OPEN' });
    expect((await repo.getStep(caseId, 'confirm-address'))?.data).toBeUndefined();
    expect((await repo.openStepsForPhone(vault.hash(phone))).map((s) => s.caseId)).toContain(caseId);
    engine.rejected.delete(`tok-${caseId}`);
    await expect(submitStep({ repo, engine, clock, vault }, request(caseId, true))).resolves.toMatchObject({
      step: { status: 'DONE', data: { correct: true } },
    });
  });
});
