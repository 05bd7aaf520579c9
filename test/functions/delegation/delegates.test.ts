import { beforeEach, describe, expect, it } from 'vitest';
import { addDelegate, expiryOf, revokeDelegate, scopeOf } from '../../../functions/delegation/delegates';
import { citizenOnly, mayAnswer, whoAsks } from '../../../functions/delegation/link-access';
import { MAX_ACTIVE_DELEGATES } from '../../../functions/delegation/model';
import { caseIdForLinkToken } from '../../../functions/domain/access';
import { caseCipher, caseOwner, newDataKey } from '../../../functions/domain/case-keys';
import type { CaseRecord } from '../../../functions/domain/model';
import { PiiVault, sha256 } from '../../../functions/domain/pii';
import { statusOf } from '../../../functions/shared/errors';
import { findService } from '../../../workflows/catalog';
import { FakeRepository, failure, fixedClock } from '../../support/fakes';
import { MemoryDelegates } from './fakes';

// The rules of delegation: which steps can be handed over, until when, how many helpers at once (also
// when asked concurrently), who a link speaks for (citizen, helper, withdrawn, expired, unknown), and
// what a helper may not do. The name is sealed; the events carry the delegate id only.

const vault = new PiiVault('a-test-key-that-is-long-enough-0123456789');
const service = findService('waste-collection');
if (!service) throw new Error('waste-collection is missing');
const NOW = '2026-03-02T09:00:00.000Z';
const CITIZEN_TOKEN = 'citizen-link-token-0123';

let repo: FakeRepository;
let delegates: MemoryDelegates;
let clock: ReturnType<typeof fixedClock>;
let record: CaseRecord;
const deps = () => ({ repo, delegates, clock, vault });

beforeEach(() => {
  repo = new FakeRepository();
  delegates = new MemoryDelegates(repo);
  clock = fixedClock(NOW);
  record = {
    caseId: 'c1',
    serviceId: 'waste-collection',
    org: 'gm0363',
    status: 'ACTIVE',
    stage: 'round',
    dataKey: newDataKey(vault, caseOwner('c1')).wrapped,
    citizen: { locale: 'nl' },
    createdAt: NOW,
    updatedAt: NOW,
    requestHash: 'h',
    linkExpiresAt: '2026-06-01T09:00:00.000Z',
    ttl: 4_000_000_000,
  };
  repo.cases.set('c1', structuredClone(record));
  repo.links.set(sha256(CITIZEN_TOKEN), { caseId: 'c1', expiresAt: record.linkExpiresAt });
});

describe('what can be handed over, and until when', () => {
  it('takes the whole case, or citizen steps of the service (once each)', () => {
    expect(scopeOf(service, 'all')).toBe('all');
    expect(scopeOf(service, ['present', 'present', 'household-feedback'])).toEqual([
      'present',
      'household-feedback',
    ]);
  });

  it('refuses a provider step or an unknown step with a 400 naming the field', () => {
    for (const steps of [['collect'], ['present', 'nope']]) {
      let error: unknown;
      try {
        scopeOf(service, steps);
      } catch (e) {
        error = e;
      }
      expect(statusOf(error)).toBe(400);
      expect((error as { details: { fields: object } }).details.fields).toHaveProperty('steps');
    }
  });

  it('lasts as long as the case link unless asked for less; a date means to the end of that day', () => {
    const now = new Date(NOW);
    expect(expiryOf(record, undefined, now)).toBe(record.linkExpiresAt);
    expect(expiryOf(record, '2026-04-01', now)).toBe('2026-04-01T22:59:59.000Z');
    expect(expiryOf(record, '2026-04-01T12:00:00Z', now)).toBe('2026-04-01T12:00:00.000Z');
    for (const bad of ['2026-03-01', '2026-03-02T08:59:59Z', '2026-06-02', '2026-02-31T99:00Z'])
      expect(() => expiryOf(record, bad, now), bad).toThrow(/date/);
  });
});

describe('adding a helper', () => {
  it('stores the name sealed, the link as a hash only, and an event without the name', async () => {
    const { delegate, token } = await addDelegate(deps(), service, record, {
      name: 'Anna de Vries',
      steps: ['present'],
    });
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(JSON.stringify([...delegates.items.values()])).not.toContain('Anna');
    expect(caseCipher(vault, record).open(delegate.nameEnc)).toBe('Anna de Vries');
    expect(repo.links.has(token)).toBe(false);
    expect(repo.links.get(sha256(token))).toMatchObject({ caseId: 'c1', delegateId: delegate.delegateId });
    expect(repo.events).toEqual([
      expect.objectContaining({
        type: 'DELEGATE_ADDED',
        actor: 'citizen',
        detail: { delegateId: delegate.delegateId, steps: ['present'], expiresAt: record.linkExpiresAt },
      }),
    ]);
    expect(JSON.stringify(repo.events)).not.toContain('Anna');
  });

  it('adds one helper for a request sent again with its one-time key, with the same link', async () => {
    const body = { name: 'Anna de Vries', steps: ['present'], once: 'form-key-0123456789ab' };
    const first = await addDelegate(deps(), service, record, body);
    const copies = await Promise.all([1, 2, 3].map(() => addDelegate(deps(), service, record, body)));
    expect(copies.map((c) => [c.delegate.delegateId, c.token])).toEqual(
      copies.map(() => [first.delegate.delegateId, first.token]),
    );
    // As long as a random link: 192 bits.
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(Object.keys(delegates.indexes.get('c1')?.entries ?? {})).toEqual([first.delegate.delegateId]);
    expect(repo.events.filter((e) => e.type === 'DELEGATE_ADDED')).toHaveLength(1);
    expect(repo.links.get(sha256(first.token))).toMatchObject({ delegateId: first.delegate.delegateId });
    // Copies at the same moment, before the first is stored: still one helper and one link.
    const other = { ...body, once: 'form-key-abcdefghij01' };
    const racing = await Promise.all([1, 2, 3].map(() => addDelegate(deps(), service, record, other)));
    expect(new Set(racing.map((r) => `${r.delegate.delegateId}/${r.token}`)).size).toBe(1);
    expect(Object.keys(delegates.indexes.get('c1')?.entries ?? {})).toHaveLength(2);
    expect(repo.events.filter((e) => e.type === 'DELEGATE_ADDED')).toHaveLength(2);
    // Another key is another helper; the same key after the helper was withdrawn is a 409.
    await revokeDelegate(deps(), record, first.delegate.delegateId);
    const again = await failure(addDelegate(deps(), service, record, body));
    expect([statusOf(again), (again as { code: string }).code]).toEqual([409, 'DELEGATE_REVOKED']);
  });

  it(`allows ${MAX_ACTIVE_DELEGATES} active helpers at a time, also when asked concurrently`, async () => {
    const asks = Array.from({ length: 9 }, (_, i) =>
      addDelegate(deps(), service, record, { name: `Helper ${i}`, steps: 'all' }).then(
        (added) => added.delegate.delegateId,
        (error: unknown) => statusOf(error),
      ),
    );
    const results = await Promise.all(asks);
    const added = results.filter((r): r is string => typeof r === 'string');
    expect(added).toHaveLength(MAX_ACTIVE_DELEGATES);
    expect(results.filter((r) => r === 409)).toHaveLength(9 - MAX_ACTIVE_DELEGATES);
    // A withdrawn or expired helper frees a place.
    await revokeDelegate(deps(), record, added[0] as string);
    await addDelegate(deps(), service, record, { name: 'Next', steps: 'all' });
    expect(
      statusOf(await failure(addDelegate(deps(), service, record, { name: 'Over', steps: 'all' }))),
    ).toBe(409);
    clock.set('2026-06-01T09:00:01.000Z');
    const later = { ...record, linkExpiresAt: '2026-09-01T09:00:00.000Z' };
    await addDelegate(deps(), service, later, { name: 'After', steps: 'all' });
    expect(Object.keys(delegates.indexes.get('c1')?.entries ?? {})).toHaveLength(1);
  });

  it('refuses a closed case (409) and an erased one (no new personal data)', async () => {
    const closed = { ...record, status: 'COMPLETED' as const };
    expect((await failure(addDelegate(deps(), service, closed, { name: 'A', steps: 'all' }))).code).toBe(
      'CASE_CLOSED',
    );
    const erased = { ...record, erased: { at: NOW, by: 'staff' } };
    expect((await failure(addDelegate(deps(), service, erased, { name: 'A', steps: 'all' }))).code).toBe(
      'CASE_ERASED',
    );
    expect(delegates.items.size).toBe(0);
  });
});

describe('who a link speaks for', () => {
  it('the citizen, or a helper with their scope; a helper’s link opens no citizen-only route', async () => {
    const { delegate, token } = await addDelegate(deps(), service, record, { name: 'A', steps: ['present'] });
    expect(await whoAsks(repo, delegates, clock, CITIZEN_TOKEN)).toEqual({
      caseId: 'c1',
      asker: { kind: 'citizen' },
    });
    const helper = await whoAsks(repo, delegates, clock, token);
    expect(helper.asker).toEqual({ kind: 'delegate', delegate });
    expect(mayAnswer(helper.asker, 'present')).toEqual(delegate);
    expect(() => mayAnswer(helper.asker, 'household-feedback')).toThrow(/not handed to you/);
    expect(() => citizenOnly(helper.asker)).toThrow(/citizen’s own link/);
    expect(mayAnswer({ kind: 'citizen' }, 'household-feedback')).toBeUndefined();
    // The routes that know nothing of helpers refuse their links outright.
    expect((await failure(caseIdForLinkToken(repo, clock, token))).code).toBe('DELEGATE_LINK');
    expect(await caseIdForLinkToken(repo, clock, CITIZEN_TOKEN)).toBe('c1');
  });

  it('refuses a withdrawn link (410 LINK_REVOKED) from the next request on, and an expired one (410)', async () => {
    const a = await addDelegate(deps(), service, record, { name: 'A', steps: 'all' });
    const b = await addDelegate(deps(), service, record, {
      name: 'B',
      steps: 'all',
      expiresAt: '2026-03-10',
    });
    await revokeDelegate(deps(), record, a.delegate.delegateId);
    const revoked = await failure(whoAsks(repo, delegates, clock, a.token));
    expect([statusOf(revoked), revoked.code, revoked.details]).toEqual([410, 'LINK_REVOKED', undefined]);
    expect((await whoAsks(repo, delegates, clock, b.token)).asker.kind).toBe('delegate');
    clock.set('2026-03-11T00:00:00.000Z');
    const expired = await failure(whoAsks(repo, delegates, clock, b.token));
    expect([statusOf(expired), expired.code]).toEqual([410, 'LINK_EXPIRED']);
    expect(statusOf(await failure(whoAsks(repo, delegates, clock, 'no-such-link-token-000')))).toBe(404);
  });

  it('withdraws once: again is a 409, an unknown helper a 404', async () => {
    const { delegate } = await addDelegate(deps(), service, record, { name: 'A', steps: 'all' });
    const [first, second] = await Promise.all([
      revokeDelegate(deps(), record, delegate.delegateId).then(() => 200, statusOf),
      revokeDelegate(deps(), record, delegate.delegateId).then(() => 200, statusOf),
    ]);
    expect([first, second].sort()).toEqual([200, 409]);
    expect(repo.events.filter((e) => e.type === 'DELEGATE_REVOKED')).toHaveLength(1);
    expect(statusOf(await failure(revokeDelegate(deps(), record, 'unknown-id')))).toBe(404);
  });
});
