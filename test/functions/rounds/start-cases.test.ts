import { beforeEach, describe, expect, it, vi } from 'vitest';
import { newCaseId } from '../../../functions/domain/case-ids';
import { caseCipher, newDataKey, roundOwner } from '../../../functions/domain/case-keys';
import { PiiVault } from '../../../functions/domain/pii';
import { finishRound } from '../../../functions/rounds/finish';
import {
  FAILURE_REASONS,
  IN_FLIGHT,
  type StartBatch,
  type StartCasesDeps,
  startRoundCases,
} from '../../../functions/rounds/start-cases';
import { FakeEngine, FakeRepository, fixedClock } from '../../support/fakes';
import { FakeRoundFiles, FakeRoundRepository, roundRecord } from '../../support/round-fakes';
import { TRACE } from '../../support/staff';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/round-fakes')).roundCatalogMock,
);

const vault = new PiiVault('a-test-key-that-is-long-enough-0123456789');
const roundKey = newDataKey(vault, roundOwner('r1'));
/** A row of valid.csv as the Map hands it over: the line, and the cells sealed with the round's key. */
const row = (i: number, over: Record<string, string> = {}) => {
  const { line = String(i + 1), ...cells } = over;
  return {
    line,
    row: roundKey.cipher.sealJson({
      reference: `R-${i}`,
      name: '',
      phone: '+31612345678',
      email: '',
      locale: 'nl',
      address: `Laan ${i}`,
      collectionDate: '2026-03-10',
      bins: '2',
      kind: '',
      gate: 'true',
      ...cells,
    }),
  };
};
const runBatch = (deps: StartCasesDeps, items: Record<string, string>[]) =>
  startRoundCases(deps, batch(items), TRACE);
const batch = (items: Record<string, string>[]): StartBatch => ({
  BatchInput: { roundId: 'r1', org: 'gm0363', serviceId: 'waste-collection' },
  Items: items,
});

describe('startRoundCases', () => {
  let deps: StartCasesDeps & {
    repo: FakeRepository;
    batches: FakeRepository;
    engine: FakeEngine;
    rounds: FakeRoundRepository;
  };
  beforeEach(async () => {
    const repo = new FakeRepository();
    deps = {
      repo,
      batches: repo,
      log: repo,
      engine: new FakeEngine(),
      rounds: new FakeRoundRepository(() => repo.cases.values()),
      clock: fixedClock('2026-03-02T09:00:00.000Z'),
      vault,
      publicUrl: 'https://api.example.nl',
      linkTtlDays: 30,
      retentionDays: 100,
      // Pacing has its own test below; the others run unpaced.
      startsPerSecond: 100_000,
    };
    await deps.rounds.createRound(roundRecord({ status: 'STARTING', attempt: 1, dataKey: roundKey.wrapped }));
  });

  it('creates each row a case with an id from round and reference, and starts it with the round', async () => {
    const result = await runBatch(deps, [row(1), row(2, { email: 'b@example.nl', phone: '' })]);
    expect(result).toEqual({ started: 2, existing: 0, failed: 0 });
    // The batch's cases are written together (links and creation events in batches), then started.
    expect(deps.repo.batchedCreates).toBe(1);
    const caseId = newCaseId(vault, 'gm0363', 'round:r1:R-1');
    const stored = deps.repo.cases.get(caseId);
    if (!stored) throw new Error('no case');
    expect(stored).toMatchObject({ roundId: 'r1', org: 'gm0363', serviceId: 'waste-collection' });
    // The row's data is sealed again, now with the case's own key.
    const cipher = caseCipher(vault, stored);
    expect(cipher.open(stored.referenceEnc)).toBe('R-1');
    expect(stored.citizen.phoneHash).toBe(vault.hash('+31612345678'));
    expect(cipher.openJson(stored.contextEnc)).toEqual({
      address: 'Laan 1',
      collectionDate: '2026-03-10',
      bins: 2,
      gate: true,
    });
    expect(deps.engine.started.find((s) => s.caseId === caseId)?.input).toEqual({
      caseId,
      serviceId: 'waste-collection',
      org: 'gm0363',
      createdAt: '2026-03-02T09:00:00.000Z',
      roundId: 'r1',
    });
    expect(deps.rounds.rounds.get('r1')?.started).toBe(2);
    // Each new case is logged as created by the staff member who created the round, in the batch's trace.
    expect(deps.repo.processing.map((r) => [r.action, r.by, r.traceId, r.categories])).toEqual([
      ['create', 'staff-1', TRACE.traceId, ['contact', 'reference', 'context']],
      ['create', 'staff-1', TRACE.traceId, ['contact', 'reference', 'context']],
    ]);
  });

  it('reports a row the round key cannot open as a failure, and starts the others', async () => {
    const foreign = newDataKey(vault, roundOwner('r1')).cipher.sealJson({ reference: 'X-1' });
    const result = await runBatch(deps, [row(1), { line: '5', row: foreign }]);
    expect(result).toEqual({ started: 1, existing: 0, failed: 1 });
    expect(await deps.rounds.rowFailures('r1', 10)).toEqual([
      { line: 5, reason: FAILURE_REASONS.unreadable },
    ]);
  });

  it('runs the same batch twice without a second case and without counting the cases again', async () => {
    const items = Array.from({ length: 20 }, (_, i) => row(i));
    expect(await runBatch(deps, items)).toEqual({ started: 20, existing: 0, failed: 0 });
    expect(await runBatch(deps, items)).toEqual({ started: 0, existing: 20, failed: 0 });
    expect(deps.repo.cases.size).toBe(20);
    expect(deps.rounds.rounds.get('r1')?.started).toBe(20);
    // The repeat starts the same executions again (the engine treats a same-name, same-input start as one).
    expect(new Set(deps.engine.started.map((s) => JSON.stringify(s))).size).toBe(20);
  });

  it('reports a reference used before with other data as a row failure, never echoing the data', async () => {
    await runBatch(deps, [row(1)]);
    const result = await runBatch(deps, [row(1, { line: '9', address: 'Elders 5' }), row(2)]);
    expect(result).toEqual({ started: 1, existing: 0, failed: 1 });
    const [failed] = await deps.rounds.rowFailures('r1', 10);
    expect(failed).toEqual({ line: 9, referenceEnc: expect.any(String), reason: FAILURE_REASONS.conflict });
    expect(roundKey.cipher.open(failed?.referenceEnc)).toBe('R-1');
    expect(JSON.stringify(failed)).not.toContain('Elders');
    expect(deps.rounds.rounds.get('r1')).toMatchObject({ started: 2, failed: 1 });
    expect(deps.repo.cases.size).toBe(2);
  });

  it(`keeps at most ${IN_FLIGHT} rows in flight`, async () => {
    let inFlight = 0;
    let peak = 0;
    const start = deps.engine.startCase.bind(deps.engine);
    deps.engine.startCase = async (...args) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      return start(...args);
    };
    await runBatch(
      deps,
      Array.from({ length: 50 }, (_, i) => row(i)),
    );
    expect(peak).toBe(IN_FLIGHT);
    expect(deps.engine.started).toHaveLength(50);
  });

  it('paces the starts of a batch: the quota of StartExecution is per second', async () => {
    const at: number[] = [];
    const start = deps.engine.startCase.bind(deps.engine);
    deps.engine.startCase = async (...args) => {
      at.push(Date.now());
      return start(...args);
    };
    deps.startsPerSecond = 50;
    await runBatch(
      deps,
      Array.from({ length: 11 }, (_, i) => row(i)),
    );
    // A limiter can only be slower than its rate, never faster: 10 gaps of 20 ms at least.
    expect(at).toHaveLength(11);
    expect((at[10] as number) - (at[0] as number)).toBeGreaterThanOrEqual(195);
  });

  it('fails the batch on an infrastructure error after counting what it did; the retry completes it', async () => {
    const start = deps.engine.startCase.bind(deps.engine);
    deps.engine.startCase = async (serviceId, caseId, input) => {
      if (input.caseId === newCaseId(vault, 'gm0363', 'round:r1:R-3')) throw new Error('ThrottlingException');
      return start(serviceId, caseId, input);
    };
    const items = Array.from({ length: 5 }, (_, i) => row(i));
    await expect(runBatch(deps, items)).rejects.toThrow('ThrottlingException');
    const counted = deps.rounds.rounds.get('r1')?.started ?? 0;
    deps.engine.startCase = start;
    // All five were in flight at once: four cases started and counted, R-3 stored but not started.
    expect(counted).toBe(4);
    const retry = await runBatch(deps, items);
    expect(retry).toEqual({ started: 0, existing: 5, failed: 0 });
    expect(deps.repo.cases.size).toBe(5);
    // R-3's case was stored before its start failed: the retry finds it and starts it.
    expect(deps.engine.started.map((s) => s.input.caseId)).toContain(
      newCaseId(vault, 'gm0363', 'round:r1:R-3'),
    );
    expect(deps.rounds.rounds.get('r1')?.started).toBe(4);
    // The live count misses R-3; the end of the round counts the cases themselves.
    await finishRound({ rounds: deps.rounds, files: new FakeRoundFiles() }, { roundId: 'r1' });
    expect(deps.rounds.rounds.get('r1')).toMatchObject({ status: 'STARTED', started: 5, failed: 0 });
  });
});
