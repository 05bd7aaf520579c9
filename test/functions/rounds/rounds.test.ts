import { beforeEach, describe, expect, it, vi } from 'vitest';
import { providerOf } from '../../../functions/domain/access';
import { PiiVault } from '../../../functions/domain/pii';
import {
  createRound,
  getRound,
  listRounds,
  newRoundId,
  type RoundDeps,
  roundDto,
  roundSpread,
  STALE_VALIDATING_MS,
  startRound,
} from '../../../functions/rounds/rounds';
import { type AppError, statusOf } from '../../../functions/shared/errors';
import { failure, fixedClock } from '../../support/fakes';
import { FakeRoundEngine, FakeRoundFiles, FakeRoundRepository, roundRecord } from '../../support/round-fakes';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/round-fakes')).roundCatalogMock,
);

const vault = new PiiVault('a-test-key-that-is-long-enough-0123456789');
const staff = providerOf({ 'custom:org': 'gm0363', 'custom:orgKind': 'municipality', sub: 'staff-1' });
const otherOrg = providerOf({ 'custom:org': 'gm0599', 'custom:orgKind': 'municipality', sub: 'staff-9' });

describe('rounds', () => {
  let deps: RoundDeps & { rounds: FakeRoundRepository; files: FakeRoundFiles; engine: FakeRoundEngine };
  beforeEach(() => {
    deps = {
      rounds: new FakeRoundRepository(),
      files: new FakeRoundFiles(),
      engine: new FakeRoundEngine(),
      clock: fixedClock('2026-03-02T09:00:00.000Z'),
      vault,
      retentionDays: 100,
    };
  });
  const create = (over: Partial<{ name: string; onInvalid: 'skip' | 'reject'; serviceId: string }> = {}) =>
    createRound(deps, staff, { serviceId: 'waste-collection', name: 'Week 10', ...over });

  it('creates a round with an upload URL for 15 minutes', async () => {
    const { created, result } = await create();
    expect(created).toBe(true);
    expect(result.roundId).toMatch(/^[0-9a-f]{32}$/);
    expect(result).toEqual({
      roundId: newRoundId(vault, 'gm0363', 'waste-collection', 'Week 10'),
      status: 'AWAITING_UPLOAD',
      upload: {
        method: 'PUT',
        url: `https://files.example.nl/rounds/${result.roundId}/upload.csv?X-Amz-Expires=900`,
        headers: { 'content-type': 'text/csv' },
        expiresAt: '2026-03-02T09:15:00.000Z',
      },
    });
    expect(deps.rounds.rounds.get(result.roundId)).toEqual(
      roundRecord({
        roundId: result.roundId,
        createdBy: 'staff-1',
        ttl: Date.parse('2026-03-02T09:00:00.000Z') / 1000 + 100 * 86_400,
      }),
    );
  });

  it('derives the round id from org, service and name: the same name is the same round', async () => {
    const first = await create();
    const again = await create({ onInvalid: 'reject' });
    expect(again.created).toBe(false);
    expect(again.result.roundId).toBe(first.result.roundId);
    expect(deps.rounds.rounds.size).toBe(1);
    expect(newRoundId(vault, 'gm0599', 'waste-collection', 'Week 10')).not.toBe(first.result.roundId);
    expect(newRoundId(vault, 'gm0363', 'waste-collection', 'Week 11')).not.toBe(first.result.roundId);
    const reused = await failure(create({ onInvalid: 'skip' }));
    expect([statusOf(reused), reused.code]).toEqual([409, 'ROUND_NAME_REUSED']);
  });

  it('refuses an unknown service (400) and another provider kind (403)', async () => {
    expect(statusOf(await failure(create({ serviceId: 'nope' })))).toBe(400);
    expect(statusOf(await failure(create({ serviceId: 'child-development' })))).toBe(403);
    expect(deps.rounds.rounds.size).toBe(0);
  });

  it('starts an uploaded round: a new attempt, clean reports, an execution named <roundId>-<attempt>', async () => {
    const { result } = await create({ onInvalid: 'skip' });
    const { roundId } = result;
    expect((await failure(startRound(deps, staff, roundId))).code).toBe('UPLOAD_MISSING');
    deps.files.put(`rounds/${roundId}/upload.csv`, 'reference\r\n');
    await deps.rounds.putRowErrors(roundId, [{ line: 2, column: 'phone', reason: 'old' }]);
    expect(await startRound(deps, staff, roundId)).toEqual({ roundId, status: 'VALIDATING', attempt: 1 });
    expect(deps.rounds.allErrors(roundId)).toEqual([]);
    expect(deps.engine.started).toEqual([
      {
        roundId,
        attempt: 1,
        input: { roundId, org: 'gm0363', serviceId: 'waste-collection', onInvalid: 'skip', attempt: 1 },
      },
    ]);
    const running = await failure(startRound(deps, staff, roundId));
    expect([statusOf(running), running.code]).toEqual([409, 'ROUND_RUNNING']);
    await deps.rounds.updateRound(roundId, { status: 'STARTED' });
    expect((await startRound(deps, staff, roundId)).attempt).toBe(2);
    expect(deps.engine.started.map((s) => s.attempt)).toEqual([1, 2]);
  });

  it('takes over a round left VALIDATING without an execution, only once it is stale', async () => {
    const { result } = await create();
    const roundId = result.roundId;
    deps.files.put(`rounds/${roundId}/upload.csv`, 'reference\r\n');
    // A start that crashed after beginAttempt, before StartExecution: VALIDATING, and nothing runs it.
    await deps.rounds.beginAttempt(roundId, 0, ['AWAITING_UPLOAD'], '2026-03-02T09:00:00.000Z');
    const clock = deps.clock as ReturnType<typeof fixedClock>;
    clock.set(new Date(Date.parse('2026-03-02T09:00:00.000Z') + STALE_VALIDATING_MS - 1000).toISOString());
    expect((await failure(startRound(deps, staff, roundId))).code).toBe('ROUND_RUNNING');
    clock.set(new Date(Date.parse('2026-03-02T09:00:00.000Z') + STALE_VALIDATING_MS + 1000).toISOString());
    expect(await startRound(deps, staff, roundId)).toEqual({ roundId, status: 'VALIDATING', attempt: 2 });
    expect(deps.engine.started.map((s) => s.attempt)).toEqual([2]);
  });

  it('lets exactly one of two concurrent starts through', async () => {
    const { result } = await create();
    deps.files.put(`rounds/${result.roundId}/upload.csv`, 'reference\r\n');
    const outcomes = await Promise.allSettled([
      startRound(deps, staff, result.roundId),
      startRound(deps, staff, result.roundId),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as AppError).code).toBe('ROUND_RUNNING');
    expect(deps.engine.started).toHaveLength(1);
    expect(deps.rounds.rounds.get(result.roundId)?.attempt).toBe(1);
  });

  it('marks the round FAILED when its execution cannot be started, so it can be started again', async () => {
    const { result } = await create();
    deps.files.put(`rounds/${result.roundId}/upload.csv`, 'reference\r\n');
    deps.engine.fail = new Error('throttled');
    await expect(startRound(deps, staff, result.roundId)).rejects.toThrow('throttled');
    expect(deps.rounds.rounds.get(result.roundId)).toMatchObject({ status: 'FAILED', attempt: 1 });
    deps.engine.fail = undefined;
    expect((await startRound(deps, staff, result.roundId)).attempt).toBe(2);
  });

  it('marks the round FAILED when the old row reports cannot be cleared, so it is not stuck VALIDATING', async () => {
    const { result } = await create();
    deps.files.put(`rounds/${result.roundId}/upload.csv`, 'reference\r\n');
    const clear = deps.rounds.clearRowReports.bind(deps.rounds);
    deps.rounds.clearRowReports = async () => {
      throw new Error('throttled');
    };
    await expect(startRound(deps, staff, result.roundId)).rejects.toThrow('throttled');
    expect(deps.engine.started).toEqual([]);
    expect(deps.rounds.rounds.get(result.roundId)).toMatchObject({ status: 'FAILED', attempt: 1 });
    deps.rounds.clearRowReports = clear;
    expect((await startRound(deps, staff, result.roundId)).attempt).toBe(2);
  });

  it("keeps each organisation to its own rounds: another org's round is a 404", async () => {
    const { result } = await create();
    for (const call of [
      getRound(deps, otherOrg, result.roundId),
      startRound(deps, otherOrg, result.roundId),
      roundSpread(deps, otherOrg, result.roundId),
      getRound(deps, staff, 'f'.repeat(32)),
    ])
      expect(statusOf(await failure(call))).toBe(404);
    expect((await listRounds(deps, otherOrg, 'waste-collection')).items).toEqual([]);
    expect((await listRounds(deps, staff, 'waste-collection')).items.map((r) => r.roundId)).toEqual([
      result.roundId,
    ]);
  });

  it('shows a round with its first errors and failures, and active cases', async () => {
    await deps.rounds.createRound(
      roundRecord({ status: 'STARTED', started: 10, completed: 3, expired: 1, cancelled: 2, failed: 1 }),
    );
    await deps.rounds.putRowErrors('r1', [
      { line: 3, column: 'phone', reason: 'p' },
      { line: 2, column: 'email', reason: 'e' },
    ]);
    await deps.rounds.putRowFailures('r1', [{ line: 5, reference: 'R-5', reason: 'f' }]);
    const view = await getRound(deps, staff, 'r1', 1);
    expect(view.errors).toEqual([{ line: 2, column: 'email', reason: 'e' }]);
    const dto = roundDto(view);
    expect(dto).toMatchObject({
      roundId: 'r1',
      active: 4,
      failures: [{ line: 5, reference: 'R-5', reason: 'f' }],
    });
    expect(dto).not.toHaveProperty('org');
    expect(dto).not.toHaveProperty('ttl');
  });
});
