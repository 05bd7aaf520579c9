import { beforeEach, describe, expect, it, vi } from 'vitest';
import { caseIdForLinkToken, providerOf } from '../../../functions/domain/access';
import { CANCEL_CAUSE, cancelCase } from '../../../functions/domain/case-cancel';
import { canonicalJson, newCaseId, requestHash } from '../../../functions/domain/case-ids';
import { caseCipher } from '../../../functions/domain/case-keys';
import { type CaseDeps, createCase } from '../../../functions/domain/cases';
import { PiiVault, sha256 } from '../../../functions/domain/pii';
import { caseDto, maskEmail, maskPhone } from '../../../functions/domain/views';
import { statusOf } from '../../../functions/shared/errors';
import { FakeEngine, FakeRepository, failure, fixedClock } from '../../support/fakes';
import { FakeRoundRepository } from '../../support/round-fakes';
import { testService } from '../../support/service-fixture';
import { staffOf, TRACE } from '../../support/staff';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/service-fixture')).catalogMock,
);

const vault = new PiiVault('a-test-key-that-is-long-enough-0123456789');
const provider = providerOf({ 'custom:org': 'gm0363', 'custom:orgKind': 'municipality', sub: 'staff-1' });
const staff = staffOf(provider);
const body = { serviceId: 'waste-collection', citizen: { name: 'Anna', phone: '+31 6 12345678' } };

describe('cases', () => {
  let deps: CaseDeps & { repo: FakeRepository; engine: FakeEngine; rounds: FakeRoundRepository };
  beforeEach(() => {
    const repo = new FakeRepository();
    deps = {
      rounds: new FakeRoundRepository(),
      repo,
      log: repo,
      engine: new FakeEngine(),
      clock: fixedClock('2026-03-02T09:00:00.000Z'),
      vault,
      publicUrl: 'https://api.example.nl',
      linkTtlDays: 30,
      retentionDays: 100,
    };
  });

  it('creates a case, its link and the execution', async () => {
    const { created, result } = await createCase(deps, staff, body);
    expect(created).toBe(true);
    expect(result.citizenLink).toBe(`https://api.example.nl/c/${vault.linkToken(result.caseId)}`);
    const stored = deps.repo.cases.get(result.caseId);
    expect(stored).toMatchObject({
      org: 'gm0363',
      status: 'ACTIVE',
      linkExpiresAt: '2026-04-01T09:00:00.000Z',
      ttl: Date.parse('2026-03-02T09:00:00.000Z') / 1000 + 100 * 86_400,
      requestHash: requestHash(vault, body),
    });
    expect(stored?.citizen.phoneHash).toBe(vault.hash('+31612345678'));
    // Sealed with the case's own key (v2), which only the stack's key unwraps, for this case only.
    expect(stored?.citizen.nameEnc).toMatch(/^v2\./);
    expect(() => vault.decrypt(stored?.citizen.nameEnc ?? '')).toThrow();
    expect(caseCipher(vault, stored as NonNullable<typeof stored>).open(stored?.citizen.phoneEnc)).toBe(
      '+31612345678',
    );
    const moved = caseCipher(vault, { ...(stored as NonNullable<typeof stored>), caseId: 'other' });
    expect(moved.open(stored?.citizen.nameEnc)).toBeUndefined();
    expect(() => moved.seal('x')).toThrow(/does not unwrap/);
    // The creation is in the case's processing log: contact data recorded, by whom, in which request.
    expect(deps.repo.processing).toEqual([
      expect.objectContaining({
        caseId: result.caseId,
        action: 'create',
        categories: ['contact'],
        org: 'gm0363',
        by: 'staff-1',
        activity: testService.processingActivity.id,
        traceId: TRACE.traceId,
        parentSpanId: TRACE.spanId,
      }),
    ]);
    expect(await caseIdForLinkToken(deps.repo, deps.clock, vault.linkToken(result.caseId))).toBe(
      result.caseId,
    );
    expect(deps.engine.started).toEqual([
      {
        serviceId: 'waste-collection',
        caseId: result.caseId,
        input: {
          caseId: result.caseId,
          serviceId: 'waste-collection',
          org: 'gm0363',
          createdAt: '2026-03-02T09:00:00.000Z',
        },
      },
    ]);
  });

  it('derives the case id from org and Idempotency-Key; random ids differ', () => {
    expect(newCaseId(vault, 'gm0363', 'k1')).toBe(newCaseId(vault, 'gm0363', 'k1'));
    expect(newCaseId(vault, 'gm0363', 'k1')).not.toBe(newCaseId(vault, 'gm0599', 'k1'));
    expect(newCaseId(vault, 'gm0363')).not.toBe(newCaseId(vault, 'gm0363'));
    expect(newCaseId(vault, 'gm0363', 'k1')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('replays the same body (with keys in another order) and refuses another body', async () => {
    const first = await createCase(deps, staff, body, 'key-1');
    (deps.clock as ReturnType<typeof fixedClock>).set('2026-03-05T09:00:00.000Z');
    const replay = await createCase(
      deps,
      staff,
      { citizen: body.citizen, serviceId: body.serviceId },
      'key-1',
    );
    expect(replay).toEqual({ created: false, result: first.result });
    expect(deps.engine.started[1]?.input).toEqual(deps.engine.started[0]?.input);
    const reused = await failure(createCase(deps, staff, { ...body, reference: 'x' }, 'key-1'));
    expect([statusOf(reused), reused.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    // A replay creates nothing, so it logs nothing.
    expect(deps.repo.processing).toHaveLength(1);
  });

  it('accepts a replay of a case stored with the plain request hash of before', async () => {
    const first = await createCase(deps, staff, body, 'key-2');
    const stored = deps.repo.cases.get(first.result.caseId);
    if (stored) stored.requestHash = sha256(canonicalJson(body));
    expect((await createCase(deps, staff, body, 'key-2')).created).toBe(false);
    const reused = await failure(createCase(deps, staff, { ...body, reference: 'y' }, 'key-2'));
    expect(reused.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('cancels once: the second attempt is 409 CASE_CLOSED', async () => {
    const { result } = await createCase(deps, staff, body);
    const cancelled = await cancelCase(deps, provider, result.caseId, 'moved');
    expect(cancelled.status).toBe('CANCELLED');
    // The reason is staff's text about the citizen: sealed with the case's key, never in the history.
    const stored = deps.repo.cases.get(result.caseId) as NonNullable<ReturnType<typeof deps.repo.cases.get>>;
    expect(stored.cancelReason).toBeUndefined();
    expect(caseCipher(vault, stored).open(stored.cancelReasonEnc)).toBe('moved');
    expect(deps.engine.stopped).toEqual([
      { serviceId: 'waste-collection', execution: result.caseId, reason: CANCEL_CAUSE },
    ]);
    const event = deps.repo.events.at(-1);
    expect(event).toMatchObject({ type: 'CASE_CANCELLED', detail: { by: 'staff-1' } });
    expect(JSON.stringify(event)).not.toContain('moved');
    const view = await deps.repo.getCaseView(result.caseId);
    const dto = caseDto(testService, view as NonNullable<typeof view>, 'provider', vault);
    expect([dto.cancelReason, dto.events.at(-1)?.detail]).toEqual([
      'moved',
      { by: 'staff-1', reason: 'moved' },
    ]);
    const again = await failure(cancelCase(deps, provider, result.caseId, 'moved'));
    expect([statusOf(again), again.code]).toEqual([409, 'CASE_CLOSED']);
    const other = providerOf({ 'custom:org': 'gm0599', 'custom:orgKind': 'municipality' });
    expect(statusOf(await failure(cancelCase(deps, other, result.caseId, 'x')))).toBe(404);
    expect(deps.engine.stopped).toHaveLength(1);
    expect(deps.rounds.counterCalls).toEqual([]); // not a round's case
  });

  it('refuses expired and unknown links', async () => {
    const { result } = await createCase(deps, staff, body);
    const token = vault.linkToken(result.caseId);
    (deps.clock as ReturnType<typeof fixedClock>).set('2026-04-02T09:00:00.000Z');
    expect(statusOf(await failure(caseIdForLinkToken(deps.repo, deps.clock, token)))).toBe(410);
    expect(statusOf(await failure(caseIdForLinkToken(deps.repo, deps.clock, 'x'.repeat(22))))).toBe(404);
  });
});

describe('providerOf', () => {
  it('needs an organisation (401) of a known kind (403)', () => {
    expect(() => providerOf({})).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    expect(() => providerOf({ 'custom:org': 'x', 'custom:orgKind': 'bank' })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(providerOf({ 'custom:org': 'x', 'custom:orgKind': 'school', email: 'a@b.nl' }).who).toBe('a@b.nl');
  });
});

describe('caseDto', () => {
  const view = {
    case: {
      caseId: 'c1',
      serviceId: 'waste-collection',
      org: 'gm0363',
      status: 'ACTIVE' as const,
      reference: 'R-1',
      citizen: {
        locale: 'nl' as const,
        phoneEnc: vault.encrypt('+31612345678'),
        emailEnc: vault.encrypt('anna@example.nl'),
      },
      createdAt: '2026-03-02T09:00:00.000Z',
      updatedAt: '2026-03-02T09:00:00.000Z',
      requestHash: 'h',
      linkExpiresAt: '2026-04-01T09:00:00.000Z',
      ttl: 1,
    },
    steps: [],
    events: [
      {
        caseId: 'c1',
        at: '2026-03-02T09:00:00.000Z',
        type: 'CASE_CANCELLED' as const,
        detail: { reason: 'internal note' },
      },
    ],
  };

  // The view below is a case from before data keys: the stack's key (v1) and a clear reference and reason.
  it('masks contact data for staff and hides it, the reference and event details from the citizen', () => {
    const staffView = caseDto(testService, view, 'provider', vault);
    expect(staffView.citizen).toEqual({ locale: 'nl', phone: '+31*******78', email: 'a***@example.nl' });
    expect(staffView.events[0]?.detail).toEqual({ reason: 'internal note' });
    const citizenView = caseDto(testService, view, 'citizen', vault);
    expect(citizenView).not.toHaveProperty('citizen');
    expect(citizenView).not.toHaveProperty('reference');
    expect(citizenView.events[0]).not.toHaveProperty('detail');
    expect(citizenView.steps.every((s) => s.status === 'PENDING')).toBe(true);
  });

  it('masks short values safely', () => {
    expect(maskPhone('+3161')).toBe('*****');
    expect(maskEmail('@x')).toBe('***');
  });
});
