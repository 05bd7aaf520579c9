import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoReportTally } from '../../../functions/adapters/dynamo-report';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { providerOf } from '../../../functions/domain/access';
import { createCase } from '../../../functions/domain/cases';
import { PiiVault } from '../../../functions/domain/pii';
import { submitStep } from '../../../functions/domain/submit';
import { caseDto } from '../../../functions/domain/views';
import type { TallyKey } from '../../../functions/reports/ports';
import { type LocalTable, localDocumentClient, startDynalite } from '../../support/dynalite';
import { FakeEngine, fixedClock } from '../../support/fakes';
import { testService } from '../../support/service-fixture';
import { staffOf } from '../../support/staff';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/service-fixture')).catalogMock,
);

// The report's running aggregates on a real DynamoDB API (dynalite): a fact counts once however
// often and however concurrently it is reported, and a range reads only its days.

const vault = new PiiVault('a-test-key-that-is-long-enough-0123456789');
const staff = staffOf(
  providerOf({ 'custom:org': 'gm0363', 'custom:orgKind': 'municipality', sub: 'staff-1' }),
);
let table: LocalTable;
let tally: DynamoReportTally;
let repo: DynamoCaseRepository;
const clock = fixedClock('2026-03-02T09:00:00.000Z');

beforeAll(async () => {
  table = await startDynalite();
  const db = localDocumentClient(table.endpoint);
  tally = new DynamoReportTally(db, table.tableName);
  repo = new DynamoCaseRepository(db, table.tableName, clock);
});
afterAll(async () => table?.stop());

const key = (day: string, side: 'citizen' | 'provider' = 'citizen'): TallyKey => ({
  org: 'gm0363',
  serviceId: 'waste-collection',
  day,
  stageId: 'prepare',
  side,
});

describe('DynamoReportTally', () => {
  it('adds a fact once, of twenty concurrent copies; other facts add up', async () => {
    const copies = await Promise.all(
      Array.from({ length: 20 }, () =>
        tally.addOnce({ caseId: 'case-a', id: 'visit-prepare-1', ttl: 1 }, [
          { key: key('2026-02-02'), counts: { visits: 1, waited: 90, h2: 1 } },
          { key: key('2026-02-02', 'provider'), counts: { visits: 1, waited: 0, h0: 1 } },
        ]),
      ),
    );
    expect(copies.filter(Boolean)).toHaveLength(1);
    await Promise.all(
      ['b', 'c', 'd'].map((id) =>
        tally.addOnce({ caseId: `case-${id}`, id: 'visit-prepare-1', ttl: 1 }, [
          { key: key('2026-02-02'), counts: { visits: 1, waited: 10, h1: 1 } },
        ]),
      ),
    );
    await tally.addOnce({ caseId: 'case-e', id: 'visit-prepare-1', ttl: 1 }, [
      { key: key('2026-02-03'), counts: { visits: 1 } },
    ]);
    const rows = await tally.read('gm0363', 'waste-collection', '2026-02-01', '2026-02-02');
    expect(rows).toEqual([
      {
        day: '2026-02-02',
        stageId: 'prepare',
        side: 'citizen',
        counts: { visits: 4, waited: 120, h1: 3, h2: 1 },
      },
      { day: '2026-02-02', stageId: 'prepare', side: 'provider', counts: { visits: 1, waited: 0, h0: 1 } },
    ]);
    expect(await tally.read('gm0363', 'waste-collection', '2026-02-03', '2026-02-03')).toHaveLength(1);
    expect(await tally.read('other-org', 'waste-collection', '2026-02-01', '2026-03-31')).toEqual([]);
  });

  it('counts a stage visit once when both partners answer at the same moment, repeats included', async () => {
    const deps = {
      repo,
      log: repo,
      engine: new FakeEngine(),
      clock,
      vault,
      publicUrl: 'https://x.nl',
      linkTtlDays: 90,
      retentionDays: 365,
    };
    const { result } = await createCase(deps, staff, { serviceId: 'waste-collection', citizen: {} });
    const caseId = result.caseId;
    const enteredAt = '2026-03-02T08:00:00.000Z';
    await repo.appendEvent(
      {
        caseId,
        at: enteredAt,
        type: 'STAGE_ENTERED',
        actor: 'system',
        detail: { stageId: 'prepare', visit: 1 },
      },
      'stage-prepare-1',
    );
    for (const [stepId, actor] of [
      ['confirm-address', 'citizen'],
      ['plan-route', 'provider'],
    ] as const)
      await repo.openStep(
        {
          caseId,
          stepId,
          actor,
          visit: 1,
          taskToken: `tok-${stepId}`,
          openedAt: enteredAt,
          dueAt: '2026-03-09T08:00:00.000Z',
          expiresAt: '2026-03-16T08:00:00.000Z',
        },
        'invite',
      );
    const submit = { repo, engine: deps.engine, clock, vault, tally };
    const citizen = {
      caseId,
      stepId: 'confirm-address',
      actor: 'citizen' as const,
      channel: 'web' as const,
      data: { correct: true },
    };
    const provider = {
      caseId,
      stepId: 'plan-route',
      actor: 'provider' as const,
      channel: 'api' as const,
      data: { day: '2026-03-09', kind: 'rest' },
    };
    const outcomes = await Promise.allSettled([
      submitStep(submit, citizen),
      submitStep(submit, provider),
      submitStep(submit, citizen),
      submitStep(submit, provider),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    const rows = (await tally.read('gm0363', 'waste-collection', '2026-03-02', '2026-03-02')).filter(
      (r) =>
        // Only this case's figures: the first test wrote with other counters.
        r.counts.shared !== undefined,
    );
    // Both answered at 09:00 (the fixed clock), an hour after entry: an hour shared, nobody waited.
    expect(rows.map((r) => [r.side, r.counts])).toEqual([
      ['citizen', { visits: 1, waited: 0, shared: 3600, h0: 1 }],
      ['provider', { visits: 1, waited: 0, shared: 3600, h0: 1 }],
    ]);
    const view = await repo.getCaseView(caseId);
    const dto = caseDto(
      testService,
      view as NonNullable<typeof view>,
      'provider',
      vault,
      'none',
      new Date('2026-03-05T00:00:00Z'),
    );
    expect(dto.waiting).toMatchObject({ shared: 3600, citizenOnProvider: 0, providerOnCitizen: 0 });
    expect(dto.waiting.stages).toEqual([expect.objectContaining({ stageId: 'prepare', complete: true })]);
  });
});
