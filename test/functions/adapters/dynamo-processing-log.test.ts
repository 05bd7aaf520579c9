import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { keys } from '../../../functions/adapters/table-keys';
import type { ProcessingRecord } from '../../../functions/domain/processing-log';
import { DynamoRoundRepository } from '../../../functions/rounds/dynamo-rounds';
import { useLocalTable } from '../../support/dynalite';
import { roundRecord } from '../../support/round-fakes';
import { caseRecord } from './fixtures';

// The processing log in the case's partition: append-only, with the case's ttl, read with the case.

let repo: DynamoCaseRepository;
const local = useLocalTable((db, tableName) => {
  repo = new DynamoCaseRepository(db, tableName);
});

const record = (caseId: string, over: Partial<ProcessingRecord> = {}): ProcessingRecord => ({
  caseId,
  at: '2026-03-02T09:00:00.000Z',
  action: 'read',
  categories: ['answers'],
  org: 'gemeente-utrecht',
  by: 'staff-1',
  serviceId: 'waste-collection',
  activity: 'afvalinzameling',
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: `${Math.random().toString(16).slice(2, 10)}00000000`.slice(0, 16),
  parentSpanId: 'b7ad6b7169203331',
  ...over,
});

describe('processing log', () => {
  it('appends records with the case ttl, lists them with the case view in time order, never overwriting one', async () => {
    const c = caseRecord();
    await repo.createCase(c, `link-${c.caseId}`);
    const later = record(c.caseId, {
      at: '2026-03-03T09:00:00.000Z',
      action: 'update',
      categories: ['notes'],
    });
    const first = record(c.caseId);
    await repo.append([later, first]);
    // The same span again (a retried request) neither fails nor changes the record.
    await repo.append([{ ...first, by: 'someone-else' }]);
    const view = await repo.getCaseView(c.caseId);
    expect(view?.processing).toEqual([first, later]);
    expect(view?.events.map((e) => e.type)).toEqual(['CASE_CREATED']);
    const stored = await local.db.send(
      new GetCommand({
        TableName: local.table.tableName,
        Key: keys.processing(c.caseId, first.at, first.spanId),
      }),
    );
    expect(stored.Item?.ttl).toBe(c.ttl);
  });

  it('refuses a record of a case that does not exist', async () => {
    await expect(repo.append([record('no-such-case')])).rejects.toThrow(/no-such-case/);
  });
});

describe("a round's data key", () => {
  it('is written once: later calls get the first key back', async () => {
    const rounds = new DynamoRoundRepository(local.db, local.table.tableName);
    await rounds.createRound(roundRecord({ roundId: 'rk' }));
    expect(await rounds.ensureDataKey('rk', 'k1.first')).toBe('k1.first');
    expect(await rounds.ensureDataKey('rk', 'k1.second')).toBe('k1.first');
    expect((await rounds.getRound('rk'))?.dataKey).toBe('k1.first');
    // updateRound never touches it.
    await rounds.updateRound('rk', { dataKey: 'k1.other', status: 'STARTING' });
    expect((await rounds.getRound('rk'))?.dataKey).toBe('k1.first');
    await expect(rounds.ensureDataKey('missing', 'k1.x')).rejects.toThrow(/does not exist/);
  });
});
