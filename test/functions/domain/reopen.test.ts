import { beforeEach, describe, expect, it } from 'vitest';
import { providerOf } from '../../../functions/domain/access';
import { caseCipher, caseOwner, newDataKey } from '../../../functions/domain/case-keys';
import type { CaseRecord } from '../../../functions/domain/model';
import { PiiVault } from '../../../functions/domain/pii';
import { type ReopenDeps, reopenCase } from '../../../functions/domain/reopen';
import { statusOf } from '../../../functions/shared/errors';
import { FakeEngine, FakeRepository, failure, fixedClock } from '../../support/fakes';
import { staffOf } from '../../support/staff';
import { MemoryNotifier } from './sms-fakes';

// Reopening a completed case: the window's edges, only a COMPLETED case, exactly once however often
// or concurrently it is asked, the reason sealed, and the new execution named like a continuation.

const vault = new PiiVault('a-test-key-that-is-long-enough-0123456789');
const provider = providerOf({ 'custom:org': 'gm0363', 'custom:orgKind': 'municipality', sub: 'staff-1' });
const staff = { actor: 'provider' as const, staff: staffOf(provider) };
const citizen = { actor: 'citizen' as const };
const COMPLETED_AT = '2026-03-02T09:00:00.000Z';
/** waste-collection reopens for 14 days, at stage 'round'. */
const WINDOW_END = '2026-03-16T09:00:00.000Z';

let repo: FakeRepository;
let engine: FakeEngine;
let clock: ReturnType<typeof fixedClock>;
let deps: ReopenDeps;
let notifier: MemoryNotifier;

function completed(over: Partial<CaseRecord> = {}): CaseRecord {
  const record: CaseRecord = {
    caseId: 'c1',
    serviceId: 'waste-collection',
    org: 'gm0363',
    status: 'COMPLETED',
    stage: 'feedback',
    dataKey: newDataKey(vault, caseOwner('c1')).wrapped,
    citizen: { locale: 'nl' },
    createdAt: '2026-02-20T09:00:00.000Z',
    updatedAt: COMPLETED_AT,
    requestHash: 'h',
    linkExpiresAt: '2026-06-01T09:00:00.000Z',
    ttl: 4_000_000_000,
    ...over,
  };
  repo.cases.set(record.caseId, structuredClone(record));
  return record;
}

beforeEach(() => {
  repo = new FakeRepository();
  engine = new FakeEngine();
  clock = fixedClock('2026-03-05T09:00:00.000Z');
  notifier = new MemoryNotifier();
  deps = {
    repo,
    reopener: repo,
    engine,
    notifier,
    log: repo,
    clock,
    vault,
    publicUrl: 'https://api.example.nl',
  };
});

describe('reopening a completed case', () => {
  it('makes it ACTIVE, logs who and why (sealed) and starts <caseId>-<n> at the stage', async () => {
    const record = completed();
    const out = await reopenCase(deps, record, staff, 'Container niet geleegd');
    expect(out).toMatchObject({ status: 'ACTIVE', stage: 'round', execution: 'c1-2' });
    expect(repo.cases.get('c1')).toMatchObject({ status: 'ACTIVE', execution: 'c1-2' });
    const event = repo.events.find((e) => e.type === 'CASE_REOPENED');
    expect(event).toMatchObject({
      actor: 'provider',
      detail: { by: 'staff-1', stageId: 'round', execution: 'c1-2' },
    });
    const sealed = String(event?.detail?.reasonEnc);
    expect(sealed).not.toContain('geleegd');
    expect(caseCipher(vault, record).open(sealed)).toBe('Container niet geleegd');
    expect(engine.resumed).toEqual([
      {
        serviceId: 'waste-collection',
        execution: 'c1-2',
        input: {
          caseId: 'c1',
          serviceId: 'waste-collection',
          org: 'gm0363',
          createdAt: '2026-02-20T09:00:00.000Z',
          resumeAt: 'round',
          continuation: 2,
        },
      },
    ]);
    // Nothing personal in the execution's input.
    expect(JSON.stringify(engine.resumed)).not.toContain('geleegd');
    // Staff wrote a note: the change is in the processing log.
    expect(repo.processing).toEqual([
      expect.objectContaining({ caseId: 'c1', action: 'update', categories: ['notes'] }),
    ]);
  });

  it('lets the citizen reopen it, without a processing log record', async () => {
    await reopenCase(deps, completed(), citizen, 'Nog steeds vol');
    expect(repo.events.find((e) => e.type === 'CASE_REOPENED')).toMatchObject({
      actor: 'citizen',
      detail: { by: 'citizen' },
    });
    expect(repo.processing).toEqual([]);
  });

  it('counts on from earlier continuations, so the name is new', async () => {
    repo.continuations.set('c1', 3);
    const out = await reopenCase(deps, completed({ execution: 'c1-4' }), citizen, 'Niet klaar');
    expect(out.execution).toBe('c1-5');
    expect(engine.resumed[0]?.input.continuation).toBe(5);
  });

  it('is open up to and including the last moment of the window', async () => {
    clock.set(WINDOW_END);
    await expect(reopenCase(deps, completed(), citizen, 'Net op tijd')).resolves.toMatchObject({
      status: 'ACTIVE',
    });
  });

  it('answers 409 REOPEN_WINDOW_CLOSED a millisecond after the window', async () => {
    clock.set('2026-03-16T09:00:00.001Z');
    const error = await failure(reopenCase(deps, completed(), citizen, 'Te laat'));
    expect(statusOf(error)).toBe(409);
    expect(error.code).toBe('REOPEN_WINDOW_CLOSED');
    expect(repo.cases.get('c1')?.status).toBe('COMPLETED');
    expect(repo.events).toEqual([]);
    expect(engine.resumed).toEqual([]);
  });

  it.each(['ACTIVE', 'FAILED', 'EXPIRED', 'CANCELLED'] as const)(
    'answers 409 for a case that is %s',
    async (status) => {
      const error = await failure(reopenCase(deps, completed({ status }), citizen, 'Niet klaar'));
      expect(statusOf(error)).toBe(409);
      expect(error.code).toBe('CASE_NOT_COMPLETED');
      expect(error.details).toMatchObject({ status });
      expect(engine.resumed).toEqual([]);
    },
  );

  it('answers 409 CASE_ERASED for an erased case: it takes no new personal data', async () => {
    const record = completed();
    const { dataKey: _gone, ...erased } = record;
    repo.cases.set('c1', { ...erased, erased: { at: COMPLETED_AT, by: 'staff-1' } });
    const error = await failure(
      reopenCase(deps, { ...erased, erased: { at: COMPLETED_AT, by: 'staff-1' } }, citizen, 'x'),
    );
    expect(statusOf(error)).toBe(409);
    expect(repo.cases.get('c1')?.status).toBe('COMPLETED');
  });

  it('changes the case once when asked twice', async () => {
    const record = completed();
    await reopenCase(deps, record, citizen, 'Eerste keer');
    const again = await failure(
      reopenCase(deps, (await repo.getCase('c1')) as CaseRecord, citizen, 'Tweede'),
    );
    expect(again.code).toBe('CASE_NOT_COMPLETED');
    expect(repo.events.filter((e) => e.type === 'CASE_REOPENED')).toHaveLength(1);
    expect(engine.resumed).toHaveLength(1);
  });

  it('changes the case once when two requests race on the same read', async () => {
    const record = completed();
    const results = await Promise.allSettled([
      reopenCase(deps, record, citizen, 'Burger'),
      reopenCase(deps, record, staff, 'Gemeente'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(statusOf(refused.reason)).toBe(409);
    expect(repo.events.filter((e) => e.type === 'CASE_REOPENED')).toHaveLength(1);
    expect(engine.resumed).toHaveLength(1);
    expect(repo.continuations.get('c1')).toBe(1);
  });

  it('starts the same execution again when a retry finds the start was lost', async () => {
    engine.resumeError = new Error('ThrottlingException');
    await expect(reopenCase(deps, completed(), citizen, 'Niet klaar')).rejects.toThrow('Throttling');
    expect(repo.cases.get('c1')?.status).toBe('ACTIVE');
    delete engine.resumeError;
    const retry = await failure(
      reopenCase(deps, (await repo.getCase('c1')) as CaseRecord, citizen, 'Niet klaar'),
    );
    expect(retry.code).toBe('CASE_NOT_COMPLETED');
    expect(engine.resumed).toEqual([expect.objectContaining({ execution: 'c1-2' })]);
    expect(repo.events.filter((e) => e.type === 'CASE_REOPENED')).toHaveLength(1);
  });
});

describe('telling the citizen by SMS', () => {
  const withPhone = () => {
    const key = newDataKey(vault, caseOwner('c1'));
    return completed({
      dataKey: key.wrapped,
      citizen: {
        locale: 'nl',
        phoneHash: vault.hash('+31612345678'),
        phoneEnc: key.cipher.seal('+31612345678'),
      },
    });
  };

  it('texts a citizen with a phone, in one GSM-7 segment, and logs it', async () => {
    await reopenCase(deps, withPhone(), staff, 'Container niet geleegd');
    const link = `https://api.example.nl/c/${vault.linkToken('c1')}`;
    expect(notifier.sent).toEqual([
      {
        to: '+31612345678',
        text: `Afvalinzameling is heropend en loopt weer. Bekijk het via ${link}`,
      },
    ]);
    // The reason is not in the text: it may be staff's wording, and the page shows it.
    expect(notifier.sent[0]?.text).not.toContain('geleegd');
    expect(repo.events.find((e) => e.type === 'SMS_SENT')).toMatchObject({ detail: { message: 'reopened' } });
  });

  it('texts no one who sent STOP, or who has no phone, and says so in the log', async () => {
    repo.optOuts.add(vault.hash('+31612345678'));
    await reopenCase(deps, withPhone(), citizen, 'Niet klaar');
    expect(notifier.sent).toEqual([]);
    expect(repo.events.find((e) => e.type === 'SMS_SUPPRESSED')).toMatchObject({
      detail: { message: 'reopened', reason: 'opted-out' },
    });
  });
});
