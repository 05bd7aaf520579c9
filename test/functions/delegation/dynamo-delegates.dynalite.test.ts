import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { keys } from '../../../functions/adapters/table-keys';
import { addDelegate, revokeDelegate } from '../../../functions/delegation/delegates';
import { DynamoDelegateStore } from '../../../functions/delegation/dynamo-delegates';
import { whoAsks } from '../../../functions/delegation/link-access';
import { MAX_ACTIVE_DELEGATES } from '../../../functions/delegation/model';
import { caseOwner, newDataKey } from '../../../functions/domain/case-keys';
import { PiiVault, sha256 } from '../../../functions/domain/pii';
import { caseDto } from '../../../functions/domain/views';
import { errorPage } from '../../../functions/pages/error-page';
import { DynamoCaseEraser } from '../../../functions/privacy/dynamo-erasure';
import { statusOf } from '../../../functions/shared/errors';
import { findService } from '../../../workflows/catalog';
import { useLocalTable } from '../../support/dynalite';
import { failure, fixedClock } from '../../support/fakes';
import { caseRecord, stepInput, submission } from '../adapters/fixtures';

// The delegate store against a real DynamoDB API (dynalite), with the real repository and eraser: the
// link item like the citizen's (hash only), the sealed name, the limit under concurrent additions, a
// withdrawal that holds at once, the delegate on the step it answered, and erasure.

const vault = new PiiVault('delegation-test-key-0123456789abcdefghijkl');
const service = findService('waste-collection');
if (!service) throw new Error('waste-collection is missing');
const clock = fixedClock('2025-03-02T09:00:00.000Z');
let repo: DynamoCaseRepository;
let store: DynamoDelegateStore;

const local = useLocalTable((db, tableName) => {
  repo = new DynamoCaseRepository(db, tableName, clock);
  store = new DynamoDelegateStore(db, tableName);
});

const deps = () => ({ repo, delegates: store, clock, vault });
const raw = async (key: Record<string, string>) =>
  (await local.db.send(new GetCommand({ TableName: local.table.tableName, Key: key }))).Item;

async function newCase() {
  const caseId = `case-${Math.random().toString(36).slice(2)}`;
  const record = caseRecord({ caseId, dataKey: newDataKey(vault, caseOwner(caseId)).wrapped });
  await repo.createCase(record, sha256(`citizen-${caseId}`));
  return record;
}

describe('DynamoDelegateStore', () => {
  it('adds one helper for copies of a request with one one-time key, sent at once', async () => {
    const record = await newCase();
    const body = { name: 'Anna de Vries', steps: ['present'], once: 'form-key-0123456789ab' };
    const copies = await Promise.all([1, 2, 3].map(() => addDelegate(deps(), service, record, body)));
    const [first] = copies;
    if (!first) throw new Error('no helper added');
    expect(new Set(copies.map((c) => `${c.delegate.delegateId}/${c.token}`)).size).toBe(1);
    expect(Object.keys((await store.delegateIndex(record.caseId)).entries)).toEqual([
      first.delegate.delegateId,
    ]);
    expect(await raw(keys.link(sha256(first.token)))).toMatchObject({
      delegateId: first.delegate.delegateId,
    });
    expect(await whoAsks(repo, store, clock, first.token)).toMatchObject({
      caseId: record.caseId,
      asker: { kind: 'delegate', delegate: { delegateId: first.delegate.delegateId } },
    });
  });

  it('stores the link as a hash next to the case link, the name sealed, and resolves both links', async () => {
    const record = await newCase();
    const { delegate, token } = await addDelegate(deps(), service, record, {
      name: 'Anna de Vries',
      steps: ['present'],
    });
    expect(await raw(keys.link(sha256(token)))).toMatchObject({
      caseId: record.caseId,
      delegateId: delegate.delegateId,
      expiresAt: record.linkExpiresAt,
      ttl: record.ttl,
    });
    const everything = JSON.stringify(
      (await local.db.send(new ScanCommand({ TableName: local.table.tableName }))).Items,
    );
    expect(everything).not.toContain('Anna');
    expect(everything).not.toContain(token);
    const helper = await whoAsks(repo, store, clock, token);
    expect(helper).toEqual({ caseId: record.caseId, asker: { kind: 'delegate', delegate } });
    const citizen = await whoAsks(repo, store, clock, `citizen-${record.caseId}`);
    expect(citizen.asker).toEqual({ kind: 'citizen' });
    // The case view carries the delegates; the view opens the name; the case record stays clean.
    const view = await repo.getCaseView(record.caseId);
    expect(view?.delegates).toEqual([delegate]);
    expect(await repo.getCase(record.caseId)).toEqual(record);
  });

  it(`keeps to ${MAX_ACTIVE_DELEGATES} active helpers under concurrent additions, and frees a place on withdrawal`, async () => {
    const record = await newCase();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        addDelegate(deps(), service, record, { name: `Helper ${i}`, steps: 'all' }).then(
          (added) => added.delegate.delegateId,
          (error: unknown) => statusOf(error),
        ),
      ),
    );
    const added = results.filter((r): r is string => typeof r === 'string');
    expect(added).toHaveLength(MAX_ACTIVE_DELEGATES);
    expect(results.filter((r) => r === 409)).toHaveLength(8 - MAX_ACTIVE_DELEGATES);
    await revokeDelegate(deps(), record, added[0] as string);
    expect(Object.keys((await store.delegateIndex(record.caseId)).entries)).toHaveLength(
      MAX_ACTIVE_DELEGATES - 1,
    );
    await addDelegate(deps(), service, record, { name: 'Next', steps: 'all' });
    expect((await failure(addDelegate(deps(), service, record, { name: 'Over', steps: 'all' }))).code).toBe(
      'DELEGATE_LIMIT',
    );
  });

  it('refuses a withdrawn link at once and withdraws only once', async () => {
    const record = await newCase();
    const { delegate, token } = await addDelegate(deps(), service, record, { name: 'A', steps: 'all' });
    expect(await store.revokeDelegate(record.caseId, delegate.delegateId, '2025-03-02T10:00:00.000Z')).toBe(
      true,
    );
    expect(await store.revokeDelegate(record.caseId, delegate.delegateId, '2025-03-02T10:00:01.000Z')).toBe(
      false,
    );
    expect((await failure(whoAsks(repo, store, clock, token))).code).toBe('LINK_REVOKED');
    expect(await store.revokeDelegate(record.caseId, 'no-such-delegate', '2025-03-02T10:00:00.000Z')).toBe(
      false,
    );
  });

  it('keeps the delegate on the step it answered, and drops it when the answer is undone', async () => {
    const record = await newCase();
    const input = stepInput(record.caseId);
    await repo.openStep(input, 'invite');
    const done = submission({ delegateId: 'helper-1' });
    expect(await repo.completeStep(record.caseId, done)).toMatchObject({ taskToken: input.taskToken });
    expect(await repo.getStep(record.caseId, input.stepId)).toMatchObject({
      status: 'DONE',
      delegateId: 'helper-1',
    });
    expect(await repo.revertStep(record.caseId, input.stepId, input.taskToken)).toBe(true);
    expect((await repo.getStep(record.caseId, input.stepId))?.delegateId).toBeUndefined();
  });

  it('erasure takes the names and ends every link of a helper', async () => {
    const record = await newCase();
    const { token } = await addDelegate(deps(), service, record, { name: 'Anna', steps: 'all' });
    await new DynamoCaseEraser(local.db, local.table.tableName).erase(record.caseId, {
      at: '2025-03-03T09:00:00.000Z',
      by: 'staff-1',
    });
    const view = await repo.getCaseView(record.caseId);
    expect(view?.delegates?.[0]).toMatchObject({ revokedAt: '2025-03-03T09:00:00.000Z' });
    expect(view?.delegates?.[0]?.nameEnc).toBeUndefined();
    // Ended by the erasure, and said so: not "withdrawn by the person who gave it to you".
    const ended = await failure(whoAsks(repo, store, clock, token));
    expect([ended.code, ended.details]).toEqual(['LINK_REVOKED', { erased: true }]);
    const page = errorPage(410, ended, '');
    expect(page).toContain('De gegevens van deze zaak zijn gewist. Daarmee werkt deze link niet meer.');
    expect(page).not.toContain('ingetrokken door wie hem u gaf');
    const dto = caseDto(service, view ?? { case: record, steps: [], events: [] }, 'citizen', vault);
    expect(JSON.stringify(dto)).not.toContain('Anna');
  });
});
