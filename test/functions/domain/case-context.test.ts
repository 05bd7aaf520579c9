import { beforeEach, describe, expect, it, vi } from 'vitest';
import { providerOf } from '../../../functions/domain/access';
import { cancelCase } from '../../../functions/domain/case-cancel';
import { caseCipher } from '../../../functions/domain/case-keys';
import { type CaseDeps, createCase } from '../../../functions/domain/cases';
import { PiiVault } from '../../../functions/domain/pii';
import { caseDto } from '../../../functions/domain/views';
import { statusOf } from '../../../functions/shared/errors';
import { FakeEngine, FakeRepository, failure, fixedClock } from '../../support/fakes';
import { FakeRoundRepository, roundRecord, roundService } from '../../support/round-fakes';
import { staffOf } from '../../support/staff';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/round-fakes')).roundCatalogMock,
);

// The service's context fields on POST /cases, and the round a case may belong to.

const vault = new PiiVault('a-test-key-that-is-long-enough-0123456789');
const provider = providerOf({ 'custom:org': 'gm0363', 'custom:orgKind': 'municipality', sub: 'staff-1' });
const staff = staffOf(provider);
const context = { address: ' Dorpsstraat 1 ', collectionDate: '2026-03-10', bins: '2', gate: 'ja' };
const body = { serviceId: 'waste-collection', citizen: { phone: '0612345678' }, context };

describe('case context', () => {
  let deps: CaseDeps & { repo: FakeRepository; engine: FakeEngine; rounds: FakeRoundRepository };
  beforeEach(() => {
    const repo = new FakeRepository();
    deps = {
      repo,
      log: repo,
      engine: new FakeEngine(),
      rounds: new FakeRoundRepository(),
      clock: fixedClock('2026-03-02T09:00:00.000Z'),
      vault,
      publicUrl: 'https://api.example.nl',
      linkTtlDays: 30,
      retentionDays: 100,
    };
  });

  it("stores the validated context only sealed with the case's key", async () => {
    const { result } = await createCase(deps, staff, body);
    const stored = deps.repo.cases.get(result.caseId);
    if (!stored) throw new Error('not stored');
    expect(JSON.stringify(stored)).not.toContain('Dorpsstraat');
    expect(caseCipher(vault, stored).openJson(stored.contextEnc)).toEqual({
      address: 'Dorpsstraat 1',
      collectionDate: '2026-03-10',
      bins: 2,
      gate: true,
    });
    expect(stored?.roundId).toBeUndefined();
    expect(deps.engine.started[0]?.input).not.toHaveProperty('roundId');
  });

  it('names each bad or missing context field as context.<field>', async () => {
    const bad = await failure(
      createCase(deps, staff, { ...body, context: { collectionDate: '2026-02-30', bins: 9, colour: 'red' } }),
    );
    expect(statusOf(bad)).toBe(400);
    expect(bad.details).toEqual({
      fields: {
        'context.address': 'This field is required.',
        'context.collectionDate': 'Enter a real date as YYYY-MM-DD.',
        'context.bins': 'Enter at most 4.',
        'context.colour': 'This field is not part of the form.',
      },
    });
    const empty = await failure(createCase(deps, staff, { ...body, context: {} }));
    expect(Object.keys((empty.details as { fields: object }).fields)).toEqual([
      'context.address',
      'context.collectionDate',
    ]);
    expect(deps.repo.cases.size).toBe(0);
    expect(deps.engine.started).toEqual([]);
  });

  it('accepts a request without any context, as the v1 contract had none', async () => {
    const { result } = await createCase(deps, staff, { ...body, context: undefined });
    expect(deps.repo.cases.get(result.caseId)?.contextEnc).toBeUndefined();
    expect(deps.engine.started).toHaveLength(1);
  });

  it('marks a round case and passes the round to the execution, also on a replay', async () => {
    const first = await createCase(deps, staff, body, 'round:r1:ref-1', { roundId: 'r1' });
    expect(deps.repo.cases.get(first.result.caseId)?.roundId).toBe('r1');
    const replay = await createCase(deps, staff, body, 'round:r1:ref-1', { roundId: 'r1' });
    expect(replay.created).toBe(false);
    expect(deps.engine.started.map((s) => s.input)).toEqual([
      {
        caseId: first.result.caseId,
        serviceId: 'waste-collection',
        org: 'gm0363',
        createdAt: '2026-03-02T09:00:00.000Z',
        roundId: 'r1',
      },
      {
        caseId: first.result.caseId,
        serviceId: 'waste-collection',
        org: 'gm0363',
        createdAt: '2026-03-02T09:00:00.000Z',
        roundId: 'r1',
      },
    ]);
    // The same key without the round is another request: it cannot take over the round's case.
    const plain = await failure(createCase(deps, staff, body, 'round:r1:ref-1'));
    expect(plain.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('shows the context to the provider and to the citizen', async () => {
    const { result } = await createCase(deps, staff, body);
    const view = await deps.repo.getCaseView(result.caseId);
    if (!view) throw new Error('no view');
    for (const audience of ['provider', 'citizen'] as const)
      expect(caseDto(roundService, view, audience, vault).context).toEqual({
        address: 'Dorpsstraat 1',
        collectionDate: '2026-03-10',
        bins: 2,
        gate: true,
      });
    const sealedElsewhere = new PiiVault('another-key-that-is-long-enough-0123456789');
    expect(caseDto(roundService, view, 'provider', sealedElsewhere).context).toBeUndefined();
  });

  it('counts a cancelled round case once on its round', async () => {
    await deps.rounds.createRound(roundRecord({ roundId: 'r1' }));
    const { result } = await createCase(deps, staff, body, 'round:r1:ref-1', { roundId: 'r1' });
    await cancelCase(deps, provider, result.caseId, 'moved away');
    await failure(cancelCase(deps, provider, result.caseId, 'moved away'));
    expect(deps.rounds.counterCalls).toEqual([['r1', { cancelled: 1 }]]);
    expect(deps.rounds.rounds.get('r1')?.cancelled).toBe(1);
  });

  it('still cancels a round case whose round item has expired', async () => {
    const { result } = await createCase(deps, staff, body, 'round:gone:ref-1', { roundId: 'gone' });
    const cancelled = await cancelCase(deps, provider, result.caseId, 'moved away');
    expect(cancelled.status).toBe('CANCELLED');
    expect(deps.engine.stopped.map((s) => s.execution)).toEqual([result.caseId]);
  });
});
