import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseStatus } from '../domain/model';
import type { CaseListQuery, CasePage, PageKey } from '../domain/ports';
import { type Item, type PageShape, pageKey, startKey, toCase } from './dynamo-items';
import { keys, TABLE } from './table-keys';

// An organisation's cases of one service, newest first, a page at a time.
//
// A listing must show every case once, also while cases change. byService sorts by status first
// (`<status>#<createdAt>#<caseId>`), so every status change moves a case in it: a listing of all
// statuses (descending: FAILED, EXPIRED, COMPLETED, CANCELLED, ACTIVE) met a redriven case twice
// (FAILED -> ACTIVE: listed among the failed, then again among the active) or a cancelled failed one
// (FAILED -> CANCELLED), and missed every case that ended or failed while it paged (ACTIVE -> any other
// status moves it into the part already listed). So:
// - one status: byService, within that status's range; there a case's place (createdAt, caseId) is
//   fixed, so it is listed at most once, and always when it keeps the status throughout;
// - all statuses: byServiceCreated, whose keys are written once when the case is created. It holds keys
//   only (no later write of the case is copied into it); the page's items are read by key.

const BATCH_ATTEMPTS = 5;

export class CaseLister {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async list(query: CaseListQuery): Promise<CasePage> {
    const gsi2pk = keys.serviceIndex(query.org, query.serviceId, '', '', '').gsi2pk;
    return query.status === undefined
      ? this.allStatuses(gsi2pk, query.limit, query.after)
      : this.oneStatus(gsi2pk, query.status, query.limit, query.after);
  }

  private async oneStatus(gsi2pk: string, status: CaseStatus, limit: number, after?: PageKey) {
    const { byService } = TABLE;
    const prefix = `${status}#`;
    const shape: PageShape = {
      names: [TABLE.partitionKey, TABLE.sortKey, byService.partitionKey, byService.sortKey],
      partition: [byService.partitionKey, gsi2pk],
      sort: [byService.sortKey, prefix],
    };
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: TABLE.byService.name,
        KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :prefix)',
        ExpressionAttributeValues: { ':pk': gsi2pk, ':prefix': prefix },
        Limit: limit,
        ScanIndexForward: false,
        ...(after && { ExclusiveStartKey: startKey(after, shape) }),
      }),
    );
    return page((out.Items ?? []).map(toCase), pageKey(out.LastEvaluatedKey));
  }

  private async allStatuses(gsi2pk: string, limit: number, after?: PageKey) {
    const index = TABLE.byServiceCreated;
    const shape: PageShape = {
      names: [TABLE.partitionKey, TABLE.sortKey, index.partitionKey, index.sortKey],
      partition: [index.partitionKey, gsi2pk],
      sort: [index.sortKey, ''],
    };
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: TABLE.byServiceCreated.name,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': gsi2pk },
        Limit: limit,
        ScanIndexForward: false,
        ...(after && { ExclusiveStartKey: startKey(after, shape) }),
      }),
    );
    const entries = out.Items ?? [];
    const found = await this.read(entries.map((i) => ({ pk: i.pk, sk: i.sk })));
    // An index entry counts only where the item it names still has that index key (createdAt): a
    // case is then listed at one place, once. A global secondary index is updated apart from its
    // table, so it may hold an entry the item no longer has: the local runtime's did after a kill -9
    // in the middle of a round (the case's first write lost, its index entry kept, the retry written
    // with a new createdAt), so one case stood at two places, on one page or on two.
    const items = entries.flatMap((entry) => {
      const item = found.get(`${entry.pk}`);
      return item && item[index.sortKey] === entry[index.sortKey] ? [item] : [];
    });
    return page(items.map(toCase), pageKey(out.LastEvaluatedKey));
  }

  /**
   * The items for these keys, by pk; one deleted meanwhile (TTL) is absent. Each key is asked for once:
   * BatchGetItem refuses a request naming a key twice (a ValidationException, which was a 500).
   */
  private async read(keysFound: Item[]): Promise<Map<string, Item>> {
    const wanted = [...new Map(keysFound.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
    const found = new Map<string, Item>();
    if (wanted.length === 0) return found;
    let pending: Item[] = wanted;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === BATCH_ATTEMPTS) throw new Error('BatchGetItem left keys unprocessed after retries');
      if (attempt > 0) await new Promise((ok) => setTimeout(ok, 20 * 2 ** attempt * Math.random()));
      // At most 100 keys per request; a page holds at most 100 cases.
      const out = await this.db.send(
        new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending.slice(0, 100) } } }),
      );
      for (const item of out.Responses?.[this.table] ?? []) found.set(`${item.pk}`, item);
      pending = [...(out.UnprocessedKeys?.[this.table]?.Keys ?? []), ...pending.slice(100)];
    }
    return found;
  }
}

function page(items: CasePage['items'], next: PageKey | undefined): CasePage {
  return next ? { items, next } : { items };
}
