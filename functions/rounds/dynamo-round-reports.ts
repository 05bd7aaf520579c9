import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchWrite, countQuery, forEachPage } from '../adapters/dynamo-batch';
import { type Item, projectionOf } from '../adapters/dynamo-items';
import { keys } from '../adapters/table-keys';
import { NotFoundError } from '../shared/errors';
import type { RowError, RowFailure } from './model';

// Row errors and failures of a round, in the round's partition: ERROR#<line> and FAIL#<line>, sorted
// by line because the line is zero-padded. One item per line: a row can fail on several columns at
// once, so an ERROR item holds all of that line's errors (`issues`), and writing a line again replaces
// them (a re-run of the validation overwrites instead of adding).

type Issue = { column: string; reason: string };

export class RoundReports {
  // Reports expire with their round; a round's ttl never changes, so a warm container reads it once.
  private readonly ttls = new Map<string, number>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly pageLimit?: number,
  ) {}

  async putErrors(roundId: string, errors: RowError[]): Promise<void> {
    if (errors.length === 0) return;
    const ttl = await this.ttlOf(roundId);
    const byLine = new Map<number, Issue[]>();
    for (const { line, column, reason } of errors) {
      const issues = byLine.get(line) ?? [];
      issues.push({ column, reason });
      byLine.set(line, issues);
    }
    const items = [...byLine].map(([line, issues]) => ({
      ...keys.rowError(roundId, line),
      line,
      issues,
      ttl,
    }));
    await batchWrite(
      this.db,
      this.table,
      items.map((Item) => ({ PutRequest: { Item } })),
    );
  }

  async putFailures(roundId: string, failures: RowFailure[]): Promise<void> {
    if (failures.length === 0) return;
    const ttl = await this.ttlOf(roundId);
    // A batch may not name one key twice: the last failure of a line wins, as a later call would.
    const byLine = new Map(failures.map((f) => [f.line, f]));
    const items = [...byLine.values()].map(({ line, referenceEnc, reason }) => ({
      ...keys.rowFailure(roundId, line),
      line,
      referenceEnc,
      reason,
      ttl,
    }));
    await batchWrite(
      this.db,
      this.table,
      items.map((Item) => ({ PutRequest: { Item } })),
    );
  }

  async clear(roundId: string): Promise<void> {
    for (const prefix of ['ERROR#', 'FAIL#']) {
      await forEachPage(this.db, this.query(roundId, prefix, { ProjectionExpression: 'pk, sk' }), (items) =>
        batchWrite(
          this.db,
          this.table,
          items.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
        ),
      );
    }
  }

  /** Every error of the first `rows` rows with errors, by line: a row's errors are never cut in two. */
  async errors(roundId: string, rows: number): Promise<RowError[]> {
    const items = await this.first(roundId, 'ERROR#', rows);
    return items.flatMap((item) =>
      ((item.issues ?? []) as Issue[]).map((issue) => ({
        line: Number(item.line),
        column: issue.column,
        reason: issue.reason,
      })),
    );
  }

  async failures(roundId: string, limit: number): Promise<RowFailure[]> {
    const items = await this.first(roundId, 'FAIL#', limit);
    return items.map((item) => ({
      line: Number(item.line),
      ...(typeof item.referenceEnc === 'string' && { referenceEnc: item.referenceEnc }),
      ...(typeof item.reference === 'string' && { reference: item.reference }),
      reason: String(item.reason),
    }));
  }

  countFailures(roundId: string): Promise<number> {
    return countQuery(this.db, this.query(roundId, 'FAIL#'));
  }

  /** The first `limit` items by line; every item holds at least one report, so that is enough. */
  private async first(roundId: string, prefix: string, limit: number): Promise<Item[]> {
    const items: Item[] = [];
    if (limit <= 0) return items;
    let start: Item | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          ...this.query(roundId, prefix),
          Limit: Math.min(limit - items.length, this.pageLimit ?? limit),
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start && items.length < limit);
    return items;
  }

  private query(roundId: string, prefix: string, extra: { ProjectionExpression?: string } = {}) {
    return {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.round(roundId).pk, ':prefix': prefix },
      ConsistentRead: true,
      Limit: this.pageLimit,
      ...extra,
    };
  }

  private async ttlOf(roundId: string): Promise<number> {
    const known = this.ttls.get(roundId);
    if (known !== undefined) return known;
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.round(roundId),
        ...projectionOf(['ttl']),
        ConsistentRead: true,
      }),
    );
    if (typeof out.Item?.ttl !== 'number')
      throw new NotFoundError(`Round ${roundId} does not exist.`, { roundId });
    if (this.ttls.size >= 1000) this.ttls.clear();
    this.ttls.set(roundId, out.Item.ttl);
    return out.Item.ttl;
  }
}
