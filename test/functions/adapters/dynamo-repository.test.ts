import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { keys } from '../../../functions/adapters/table-keys';
import { ValidationError } from '../../../functions/shared/errors';
import { useLocalTable } from '../../support/dynalite';
import { caseRecord, stepInput } from './fixtures';

// Against a real DynamoDB API (dynalite): cases, links, events, listing, opt-out, inbound dedup.

let repo: DynamoCaseRepository;
const clock = { now: () => new Date('2025-04-01T12:00:00.000Z') };

const local = useLocalTable((db, tableName) => {
  repo = new DynamoCaseRepository(db, tableName, clock);
});

const raw = async (key: Record<string, string>) =>
  (await local.db.send(new GetCommand({ TableName: local.table.tableName, Key: key }))).Item;

describe('createCase', () => {
  it('stores case and link, indexes the case as ACTIVE and logs CASE_CREATED', async () => {
    const record = caseRecord({ reference: 'REF-1' });
    expect(await repo.createCase(record, 'link-1')).toBe('created');

    expect(await repo.getCase(record.caseId)).toEqual(record);
    expect(await repo.caseIdForLink('link-1')).toEqual({
      caseId: record.caseId,
      expiresAt: record.linkExpiresAt,
    });
    expect(await raw(keys.case(record.caseId))).toMatchObject({
      gsi2pk: `SVC#${record.org}#${record.serviceId}`,
      gsi2sk: `ACTIVE#${record.createdAt}#${record.caseId}`,
      visits: 0,
    });
    expect(await raw(keys.link('link-1'))).toMatchObject({ ttl: record.ttl });
    const view = await repo.getCaseView(record.caseId);
    expect(view?.events).toEqual([
      { caseId: record.caseId, at: record.createdAt, type: 'CASE_CREATED', actor: 'provider' },
    ]);
  });

  it('answers exists on a replay and neither overwrites the case nor duplicates the event', async () => {
    const record = caseRecord();
    await repo.createCase(record, 'link-2');
    const replay = { ...record, createdAt: '2025-03-02T00:00:00.000Z', reference: 'changed' };
    expect(await repo.createCase(replay, 'link-2')).toBe('exists');
    expect(await repo.getCase(record.caseId)).toEqual(record);
    expect((await repo.getCaseView(record.caseId))?.events).toHaveLength(1);
  });

  it('restores a CASE_CREATED event lost to a crash when the same request is replayed', async () => {
    const record = caseRecord();
    await repo.createCase(record, 'link-crash');
    const event = keys.event(record.caseId, record.createdAt, 'created');
    await local.db.send(new DeleteCommand({ TableName: local.table.tableName, Key: event }));
    expect(await repo.createCase({ ...record, createdAt: '2025-03-09T00:00:00.000Z' }, 'link-crash')).toBe(
      'exists',
    );
    expect((await repo.getCaseView(record.caseId))?.events.map((e) => [e.type, e.at])).toEqual([
      ['CASE_CREATED', record.createdAt],
    ]);
    // A clash (another request under the same caseId) writes nothing into the existing case.
    await local.db.send(new DeleteCommand({ TableName: local.table.tableName, Key: event }));
    expect(await repo.createCase({ ...record, requestHash: 'other' }, 'link-crash')).toBe('exists');
    expect((await repo.getCaseView(record.caseId))?.events).toEqual([]);
  });

  it('returns undefined for unknown cases and links', async () => {
    expect(await repo.getCase('nope')).toBeUndefined();
    expect(await repo.getCaseView('nope')).toBeUndefined();
    expect(await repo.caseIdForLink('nope')).toBeUndefined();
  });
});

describe('createCases (a round batch)', () => {
  it('creates 60 cases with their links, indexes and CASE_CREATED events, answering per case', async () => {
    const records = Array.from({ length: 60 }, (_, i) =>
      caseRecord({ roundId: 'r-batch', reference: `B-${i}` }),
    );
    const cases = records.map((record, i) => ({ record, linkHash: `batch-link-${i}` }));
    expect(await repo.createCases(cases)).toEqual(records.map(() => 'created'));
    for (const [i, record] of records.entries()) {
      expect(await repo.getCase(record.caseId)).toEqual(record);
      expect(await repo.caseIdForLink(`batch-link-${i}`)).toEqual({
        caseId: record.caseId,
        expiresAt: record.linkExpiresAt,
      });
      expect(await raw(keys.case(record.caseId))).toMatchObject({
        gsi2pk: `SVC#${record.org}#${record.serviceId}`,
      });
      expect((await repo.getCaseView(record.caseId))?.events.map((e) => e.type)).toEqual(['CASE_CREATED']);
    }
  });

  it('answers exists for a replayed case, restores its lost CASE_CREATED, and writes nothing into a clash', async () => {
    const [kept, lost, clash] = [caseRecord(), caseRecord(), caseRecord()];
    await repo.createCases([kept, lost, clash].map((record, i) => ({ record, linkHash: `replay-${i}` })));
    await local.db.send(
      new DeleteCommand({
        TableName: local.table.tableName,
        Key: keys.event(lost.caseId, lost.createdAt, 'created'),
      }),
    );
    await local.db.send(
      new DeleteCommand({
        TableName: local.table.tableName,
        Key: keys.event(clash.caseId, clash.createdAt, 'created'),
      }),
    );
    // A row twice in one batch: the same case and link twice, which one BatchWriteItem may not hold.
    const fresh = caseRecord();
    const again = [kept, lost, { ...clash, requestHash: 'other' }, fresh, fresh];
    const outcomes = await repo.createCases(
      again.map((record, i) => ({ record, linkHash: record === fresh ? 'replay-fresh' : `replay-${i}` })),
    );
    expect(outcomes.slice(0, 3)).toEqual(['exists', 'exists', 'exists']);
    expect(outcomes.slice(3).sort()).toEqual(['created', 'exists']);
    const events = async (caseId: string) => (await repo.getCaseView(caseId))?.events.map((e) => e.type);
    expect(await events(kept.caseId)).toEqual(['CASE_CREATED']);
    expect(await events(lost.caseId)).toEqual(['CASE_CREATED']);
    expect(await events(clash.caseId)).toEqual([]);
    expect(await events(fresh.caseId)).toEqual(['CASE_CREATED']);
  });
});

describe('getCaseView and appendEvent', () => {
  it('returns the case, its steps and its events sorted by time, without key attributes', async () => {
    const record = caseRecord();
    await repo.createCase(record, 'link-view');
    await repo.openStep(stepInput(record.caseId, { phoneHash: 'ph-view', shortCode: 'A' }), 'invite');
    await repo.openStep(stepInput(record.caseId, { stepId: 'empty-container', actor: 'provider' }), 'invite');
    await repo.appendEvent({ caseId: record.caseId, at: '2025-03-05T00:00:00.000Z', type: 'STEP_REMINDED' });
    await repo.appendEvent({
      caseId: record.caseId,
      at: '2025-03-03T00:00:00.000Z',
      type: 'STEP_OPENED',
      stepId: 'x',
    });

    const view = await repo.getCaseView(record.caseId);
    expect(view?.case).toEqual(record);
    expect(view?.events.map((e) => e.type)).toEqual(['CASE_CREATED', 'STEP_OPENED', 'STEP_REMINDED']);
    expect(view?.steps.map((s) => s.stepId).sort()).toEqual(['empty-container', 'separate-waste']);
    for (const thing of [view?.case, ...(view?.steps ?? []), ...(view?.events ?? [])]) {
      for (const name of ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'phoneHash', 'visits']) {
        expect(thing).not.toHaveProperty(name);
      }
    }
  });

  it("getStageVisitEvents reads the log down to the visit's entry, and none of the steps, logs, delegates or markers", async () => {
    const record = caseRecord();
    await repo.createCase(record, 'link-visit');
    await repo.openStep(stepInput(record.caseId, { phoneHash: 'ph-visit', shortCode: 'V' }), 'invite');
    const at = (minute: number) => new Date(Date.UTC(2025, 2, 3, 9, minute)).toISOString();
    const event = { caseId: record.caseId, actor: 'system' as const };
    const entered = (minute: number, stageId: string, visit: number) =>
      repo.appendEvent(
        { ...event, at: at(minute), type: 'STAGE_ENTERED', detail: { stageId, visit } },
        `stage-${stageId}-${visit}`,
      );
    await entered(0, 'prepare', 1);
    await repo.appendEvent({
      ...event,
      at: at(1),
      type: 'STEP_SUBMITTED',
      stepId: 'present',
      detail: { visit: 1 },
    });
    await entered(2, 'collect', 2);
    // More of the visit than one page of the read holds.
    for (let minute = 3; minute < 30; minute++)
      await repo.appendEvent({ ...event, at: at(minute), type: 'STEP_REMINDED', stepId: 'collect' });
    const pk = keys.case(record.caseId).pk;
    for (const sk of ['LOG#2025-03-04T00:00:00.000Z#span', 'DELEGATE#d1', 'TALLY#visit-round-1'])
      await local.db.send(new PutCommand({ TableName: local.table.tableName, Item: { pk, sk, at: at(40) } }));

    const visit = await repo.getStageVisitEvents(record.caseId, 'collect', 2);
    expect(visit.map((e) => e.at)).toEqual(Array.from({ length: 28 }, (_, i) => at(i + 2)));
    expect(visit[0]).toMatchObject({ type: 'STAGE_ENTERED', detail: { stageId: 'collect', visit: 2 } });
    // The earlier visit's read stops at its own entry, and a visit whose entry was not logged reads them all.
    expect(
      (await repo.getStageVisitEvents(record.caseId, 'prepare', 1)).map((e) => e.type).slice(0, 3),
    ).toEqual(['STAGE_ENTERED', 'STEP_SUBMITTED', 'STAGE_ENTERED']);
    const all = await repo.getStageVisitEvents(record.caseId, 'prepare', 9);
    expect(all.map((e) => e.type).slice(0, 2)).toEqual(['CASE_CREATED', 'STAGE_ENTERED']);
    expect(all).toHaveLength(31);
    expect(await repo.getStageVisitEvents('missing', 'collect', 1)).toEqual([]);
  });

  it('reads a case partition larger than one query page', async () => {
    const record = caseRecord();
    await repo.createCase(record, 'link-big');
    const padding = 'x'.repeat(60_000); // ~17 events exceed the 1 MB page limit
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        repo.appendEvent({
          caseId: record.caseId,
          at: `2025-03-02T00:00:${String(i).padStart(2, '0')}.000Z`,
          type: 'SMS_SENT',
          detail: { padding },
        }),
      ),
    );
    const firstPage = await local.db.send(
      new QueryCommand({
        TableName: local.table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.case(record.caseId).pk },
      }),
    );
    expect(firstPage.LastEvaluatedKey).toBeDefined();
    const view = await repo.getCaseView(record.caseId);
    expect(view?.events).toHaveLength(21);
  });

  it('gives every event the case ttl and refuses events of an unknown case', async () => {
    const record = caseRecord({ ttl: 1_800_000_123 });
    await repo.createCase(record, 'link-ttl');
    await repo.appendEvent({ caseId: record.caseId, at: '2025-03-03T00:00:00.000Z', type: 'SMS_SENT' });
    const items = await local.db.send(
      new QueryCommand({
        TableName: local.table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.case(record.caseId).pk },
      }),
    );
    expect(items.Items?.map((item) => item.ttl)).toEqual([record.ttl, record.ttl, record.ttl]);
    await expect(
      repo.appendEvent({ caseId: 'missing', at: record.createdAt, type: 'SMS_SENT' }),
    ).rejects.toThrow(/missing/);
  });

  it('writes an event group as one item, which every read lists as events of their own', async () => {
    const record = caseRecord();
    await repo.createCase(record, 'link-group');
    const opened = {
      caseId: record.caseId,
      at: '2025-03-02T08:00:00.000Z',
      type: 'STEP_OPENED' as const,
      stepId: 'present',
    };
    const sms = {
      ...opened,
      at: '2025-03-02T08:00:00.001Z',
      type: 'SMS_SENT' as const,
      channel: 'sms' as const,
    };
    const later = { caseId: record.caseId, at: '2025-03-02T08:00:00.001Z', type: 'STEP_REMINDED' as const };
    await repo.appendEventGroup([opened, sms], 'invite-present-1');
    await repo.appendEvent(later, 'a-later-one'); // sorts after the group's item on the same time
    const items = await local.db.send(
      new QueryCommand({
        TableName: local.table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
        ExpressionAttributeValues: { ':pk': keys.case(record.caseId).pk, ':event': 'EVENT#' },
      }),
    );
    expect(items.Items?.map((item) => item.type)).toEqual(['CASE_CREATED', 'STEP_OPENED', 'STEP_REMINDED']);
    expect(await repo.hasEvent(record.caseId, opened.at, 'invite-present-1')).toBe(true);
    const expected = [{ type: 'CASE_CREATED' }, { ...opened }, { ...sms }, { ...later }];
    expect((await repo.getCaseView(record.caseId))?.events).toMatchObject(expected);
    // The group's item is the storage's business: no reader sees its key or its followers.
    const events = (await repo.getCaseView(record.caseId))?.events ?? [];
    expect(events.every((event) => !('sk' in event) && !('followedBy' in event))).toBe(true);
    await expect(
      repo.appendEventGroup([opened, { ...sms, caseId: 'another' }], 'invite-present-2'),
    ).rejects.toThrow(/one case/);
  });
});

describe('closeCase', () => {
  it('moves ACTIVE to the given status exactly once and re-sorts the service index', async () => {
    const record = caseRecord();
    await repo.createCase(record, 'link-close');
    const results = await Promise.all([
      repo.closeCase(record.caseId, 'CANCELLED', 'v2.sealed-reason'),
      repo.closeCase(record.caseId, 'CANCELLED', 'v2.sealed-reason'),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await repo.closeCase(record.caseId, 'COMPLETED')).toBe(false);
    expect(await repo.getCase(record.caseId)).toEqual({
      ...record,
      status: 'CANCELLED',
      cancelReasonEnc: 'v2.sealed-reason',
      updatedAt: '2025-04-01T12:00:00.000Z',
    });
    expect(await raw(keys.case(record.caseId))).toMatchObject({
      gsi2sk: `CANCELLED#${record.createdAt}#${record.caseId}`,
    });
    expect(await repo.closeCase('missing', 'EXPIRED')).toBe(false);
  });
});

describe('listCases', () => {
  const org = 'gemeente-list';
  const serviceId = 'care-plan';
  const created = Array.from({ length: 5 }, (_, i) =>
    caseRecord({ org, serviceId, createdAt: `2025-03-0${i + 1}T08:00:00.000Z` }),
  );

  beforeAll(async () => {
    for (const [i, record] of created.entries()) await repo.createCase(record, `link-list-${i}`);
    await repo.createCase(caseRecord({ org: 'other-org', serviceId }), 'link-list-other');
    await repo.closeCase(created[1]?.caseId ?? '', 'COMPLETED');
  });

  it('pages through the active cases of one org and service, newest first', async () => {
    const first = await repo.listCases({ org, serviceId, status: 'ACTIVE', limit: 2 });
    expect(first.items.map((c) => c.caseId)).toEqual([created[4]?.caseId, created[3]?.caseId]);
    expect(first.next).toBeTypeOf('object');
    const second = await repo.listCases({ org, serviceId, status: 'ACTIVE', limit: 2, after: first.next });
    expect(second.items.map((c) => c.caseId)).toEqual([created[2]?.caseId, created[0]?.caseId]);
    const rest = await repo.listCases({ org, serviceId, status: 'ACTIVE', limit: 2, after: second.next });
    expect(rest.items).toEqual([]);
    expect(rest.next).toBeUndefined();
  });

  it('filters by status and lists all statuses without a filter', async () => {
    const done = await repo.listCases({ org, serviceId, status: 'COMPLETED', limit: 10 });
    expect(done.items.map((c) => [c.caseId, c.status])).toEqual([[created[1]?.caseId, 'COMPLETED']]);
    expect(done.next).toBeUndefined();
    const all = await repo.listCases({ org, serviceId, limit: 10 });
    // Newest first over every status, read by key from the keys-only byServiceCreated index.
    expect(all.items.map((c) => c.caseId)).toEqual([...created].reverse().map((c) => c.caseId));
    expect(all.items[1]).toMatchObject({ status: 'ACTIVE', citizen: expect.any(Object) });
    expect(all.items[3]).toMatchObject({ status: 'COMPLETED' });
    expect(all.items[0]).not.toHaveProperty('gsi2sk');
    const paged = await repo.listCases({ org, serviceId, limit: 3 });
    const more = await repo.listCases({ org, serviceId, limit: 3, after: paged.next });
    expect([...paged.items, ...more.items].map((c) => c.caseId)).toEqual(all.items.map((c) => c.caseId));
    expect(more.next).toBeUndefined();
  });

  it('refuses a page key of another query or shape before DynamoDB sees it (ValidationError)', async () => {
    const gsi2pk = `SVC#${org}#${serviceId}`;
    const other = (await repo.listCases({ org: 'other-org', serviceId, limit: 1 })).next;
    const completed = (await repo.listCases({ org, serviceId, status: 'COMPLETED', limit: 1 })).next;
    const byCreation = (await repo.listCases({ org, serviceId, limit: 1 })).next;
    const keys = [
      other ?? { missing: 'x' },
      completed ?? { missing: 'x' },
      byCreation ?? { missing: 'x' },
      { pk: 'CASE#x', sk: 'CASE', gsi2pk, gsi2sk: 'ACTIVE#x', extra: 'y' },
      { pk: '', sk: 'CASE', gsi2pk, gsi2sk: 'ACTIVE#x' },
      { pk: 'CASE#x', gsi2pk, gsi2sk: 'ACTIVE#x' },
    ];
    for (const after of keys) {
      await expect(
        repo.listCases({ org, serviceId, status: 'ACTIVE', limit: 2, after }),
      ).rejects.toBeInstanceOf(ValidationError);
    }
    // A key of the status listing is no key of the listing of all statuses, and the other way round.
    await expect(repo.listCases({ org, serviceId, limit: 2, after: completed ?? {} })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

describe('opt-out and inbound messages', () => {
  it('records and lifts an opt-out', async () => {
    expect(await repo.isOptedOut('ph-stop')).toBe(false);
    await repo.setOptOut('ph-stop', true);
    await repo.setOptOut('ph-stop', true);
    expect(await repo.isOptedOut('ph-stop')).toBe(true);
    expect(await repo.isOptedOut('ph-other')).toBe(false);
    await repo.setOptOut('ph-stop', false);
    expect(await repo.isOptedOut('ph-stop')).toBe(false);
  });

  it('claims an inbound message id once, even concurrently, and gives later copies the first claim', async () => {
    const answers = { caseId: 'c-1', stepId: 'present', visit: 2 };
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        repo.claimInboundMessage('SM123', 1_800_000_000, {
          outcome: 'submitting',
          answers: { ...answers, visit: 2 + i },
        }),
      ),
    );
    const fresh = claims.findIndex((c) => c.fresh);
    expect(claims.filter((c) => c.fresh)).toHaveLength(1);
    const firstAnswers = { ...answers, visit: 2 + fresh };
    for (const later of claims.filter((c) => !c.fresh))
      expect(later).toEqual({ fresh: false, claim: { outcome: 'submitting', answers: firstAnswers } });
    await repo.settleInboundMessage('SM123');
    expect(await repo.claimInboundMessage('SM123', 1, { outcome: 'settled' })).toEqual({
      fresh: false,
      claim: { outcome: 'settled', answers: firstAnswers },
    });
    expect(await repo.claimInboundMessage('SM124', 1_800_000_000, { outcome: 'settled' })).toEqual({
      fresh: true,
    });
    expect(await raw(keys.inbound('SM123'))).toMatchObject({ ttl: 1_800_000_000, outcome: 'settled' });
    // Settling a claim that expired meanwhile is no error, and creates nothing.
    await repo.settleInboundMessage('SM-gone');
    expect(await raw(keys.inbound('SM-gone'))).toBeUndefined();
  });
});
