import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { countQuery } from '../adapters/dynamo-batch';
import {
  type Item,
  isConditionFailed,
  omit,
  type PageShape,
  pageKey,
  putNew,
  startKey,
} from '../adapters/dynamo-items';
import { keys, TABLE } from '../adapters/table-keys';
import { systemClock } from '../domain/clock';
import type { Clock, PageKey } from '../domain/ports';
import { NotFoundError } from '../shared/errors';
import { byRoundQuery, spreadOfRound } from './dynamo-round-cases';
import { RoundReports } from './dynamo-round-reports';
import type { RoundRecord, RoundSpread, RoundStatus, RowError, RowFailure } from './model';
import type { RoundRepository } from './ports';

// RoundRepository on the single table: the round item (ROUND#<id>/ROUND, listed per org and service on
// byService), its row reports (dynamo-round-reports.ts), and its cases through the byRound index.

const ROUND_INTERNAL = ['pk', 'sk', 'gsi2pk', 'gsi2sk'] as const;
/** Reset by a new attempt. completed/expired/cancelled count outcomes of cases that live on, so they stay. */
const ATTEMPT_COUNTERS = ['total', 'validated', 'invalid', 'started', 'failed'] as const;
/** Part of the key or the index: never changed by updateRound. */
const FIXED = new Set(['roundId', 'org', 'serviceId', 'createdAt', 'dataKey']);

type Counter = 'started' | 'failed' | 'completed' | 'expired' | 'cancelled';

const toRound = (item: Item): RoundRecord => omit(item, ROUND_INTERNAL) as unknown as RoundRecord;

export class DynamoRoundRepository implements RoundRepository {
  private readonly reports: RoundReports;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock = systemClock,
    /** Items per query page; unset on AWS (1 MB pages). Tests set it small to exercise the paging. */
    private readonly pageLimit?: number,
  ) {
    this.reports = new RoundReports(db, table, pageLimit);
  }

  async createRound(record: RoundRecord): Promise<'created' | 'exists'> {
    const index = keys.roundList(record.org, record.serviceId, record.createdAt, record.roundId);
    const created = await putNew(this.db, this.table, { ...keys.round(record.roundId), ...record, ...index });
    return created ? 'created' : 'exists';
  }

  async getRound(roundId: string): Promise<RoundRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.round(roundId), ConsistentRead: true }),
    );
    return out.Item ? toRound(out.Item) : undefined;
  }

  /** Newest first, like the case list. A round's place (createdAt, roundId) never changes. */
  async listRounds(query: { org: string; serviceId: string; limit: number; after?: PageKey }) {
    const { gsi2pk } = keys.roundList(query.org, query.serviceId, '', '');
    const { byService } = TABLE;
    const shape: PageShape = {
      names: [TABLE.partitionKey, TABLE.sortKey, byService.partitionKey, byService.sortKey],
      partition: [byService.partitionKey, gsi2pk],
      sort: [byService.sortKey, ''],
    };
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: TABLE.byService.name,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': gsi2pk },
        Limit: query.limit,
        ScanIndexForward: false,
        ...(query.after && { ExclusiveStartKey: startKey(query.after, shape) }),
      }),
    );
    const items = (out.Items ?? []).map(toRound);
    const next = pageKey(out.LastEvaluatedKey);
    return next ? { items, next } : { items };
  }

  async beginAttempt(roundId: string, attempt: number, from: RoundStatus[], at: string): Promise<boolean> {
    if (from.length === 0) return false;
    const allowed = Object.fromEntries(from.map((status, i) => [`:from${i}`, status]));
    const resets = ATTEMPT_COUNTERS.map((name) => `#${name} = :zero`).join(', ');
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.round(roundId),
          UpdateExpression: `SET #status = :validating, #attempt = :next, updatedAt = :at, ${resets} REMOVE #error`,
          ConditionExpression: `#status IN (${Object.keys(allowed).join(', ')}) AND #attempt = :attempt`,
          ExpressionAttributeNames: {
            '#status': 'status',
            '#attempt': 'attempt',
            '#error': 'error',
            ...Object.fromEntries(ATTEMPT_COUNTERS.map((name) => [`#${name}`, name])),
          },
          ExpressionAttributeValues: {
            ':validating': 'VALIDATING',
            ':next': attempt + 1,
            ':attempt': attempt,
            ':at': at,
            ':zero': 0,
            ...allowed,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async ensureDataKey(roundId: string, wrapped: string): Promise<string> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.round(roundId),
          UpdateExpression: 'SET #key = if_not_exists(#key, :key)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#key': 'dataKey' },
          ExpressionAttributeValues: { ':key': wrapped },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return String(out.Attributes?.dataKey ?? wrapped);
    } catch (error) {
      if (isConditionFailed(error)) throw new NotFoundError(`Round ${roundId} does not exist.`, { roundId });
      throw error;
    }
  }

  /** SETs the given fields (a field given as undefined is REMOVEd) and updatedAt. */
  async updateRound(roundId: string, fields: Partial<RoundRecord>): Promise<void> {
    const entries = Object.entries({ updatedAt: this.clock.now().toISOString(), ...fields }).filter(
      ([name]) => !FIXED.has(name),
    );
    const names = Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name]));
    const set = entries.flatMap(([, value], i) => (value === undefined ? [] : [`#f${i} = :f${i}`]));
    const remove = entries.flatMap(([, value], i) => (value === undefined ? [`#f${i}`] : []));
    const values = Object.fromEntries(
      entries.flatMap(([, value], i) => (value === undefined ? [] : [[`:f${i}`, value]])),
    );
    await this.guarded(roundId, {
      UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  async addToCounters(roundId: string, delta: Partial<Record<Counter, number>>): Promise<void> {
    const entries = Object.entries(delta).filter(([, n]) => n !== undefined && n !== 0);
    if (entries.length === 0) return;
    await this.guarded(roundId, {
      UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n])),
    });
  }

  putRowErrors(roundId: string, errors: RowError[]): Promise<void> {
    return this.reports.putErrors(roundId, errors);
  }

  putRowFailures(roundId: string, failures: RowFailure[]): Promise<void> {
    return this.reports.putFailures(roundId, failures);
  }

  clearRowReports(roundId: string): Promise<void> {
    return this.reports.clear(roundId);
  }

  rowErrors(roundId: string, rows: number): Promise<RowError[]> {
    return this.reports.errors(roundId, rows);
  }

  rowFailures(roundId: string, limit: number): Promise<RowFailure[]> {
    return this.reports.failures(roundId, limit);
  }

  countRowFailures(roundId: string): Promise<number> {
    return this.reports.countFailures(roundId);
  }

  countRoundCases(roundId: string): Promise<number> {
    return countQuery(this.db, byRoundQuery(this.table, roundId, this.pageLimit));
  }

  roundSpread(roundId: string): Promise<RoundSpread> {
    return spreadOfRound(this.db, byRoundQuery(this.table, roundId, this.pageLimit));
  }

  /** An update of an existing round only: a missing one must not come back as a stub of counters. */
  private async guarded(
    roundId: string,
    update: { UpdateExpression: string; ExpressionAttributeNames: Item; ExpressionAttributeValues: Item },
  ): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.round(roundId),
          ConditionExpression: 'attribute_exists(pk)',
          ...update,
        } as ConstructorParameters<typeof UpdateCommand>[0]),
      );
    } catch (error) {
      if (isConditionFailed(error)) throw new NotFoundError(`Round ${roundId} does not exist.`, { roundId });
      throw error;
    }
  }
}
