/**
 * DynamoDB's TTL, which dynalite lacks: deletes items whose TTL attribute (epoch seconds) is before
 * the engine clock's now. AWS deletes expired items in the background "typically within a few days"
 * and bills nothing for it (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html),
 * so readers must not rely on it and the local sweeper need not be prompt either:
 * - `step` is the background pass: it reads at most `itemsPerStep` items, from where the last step
 *   stopped, and wraps around at the end of the table. A Scan of the whole table every minute cost
 *   ~2 s of CPU per 100,000 items (scratch measurement), and a round's table grows by tens of items
 *   per case: a 10,000-row round started 14% fewer cases per second with it, for deletes nobody waits for.
 * - `sweep` reads every table from the start: what a fast-forward of the clock asks for (the local
 *   clock route and tests want the items gone now).
 * Its requests carry the housekeeping header (not metered, not gated).
 */
import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';

export interface SweptTable {
  name: string;
  keyNames: string[];
  ttlAttribute?: string;
}

type Key = Record<string, AttributeValue>;

/** Items one background step reads by default: a few tenths of a second of CPU. */
export const ITEMS_PER_STEP = 20_000;
const PAGE_ITEMS = 1_000;

export class TtlSweeper {
  /** Per table, where the background pass goes on (undefined: from the start). */
  private readonly cursors = new Map<string, Key | undefined>();
  private readonly tables: SweptTable[];
  private next = 0;

  constructor(
    private readonly admin: DynamoDBClient,
    tables: SweptTable[],
    private readonly itemsPerStep = ITEMS_PER_STEP,
  ) {
    this.tables = tables.filter((t) => t.ttlAttribute);
  }

  /** Every table, whole: returns how many items were deleted. */
  async sweep(nowMs: number): Promise<number> {
    let deleted = 0;
    for (const table of this.tables) deleted += (await this.scan(table, nowMs, undefined, Infinity)).deleted;
    return deleted;
  }

  /** The background pass: up to itemsPerStep items, table by table, going on where it stopped. */
  async step(nowMs: number): Promise<number> {
    let deleted = 0;
    let budget = this.itemsPerStep;
    // A table read to its end hands the rest of the budget to the next one, each table at most once a step.
    for (let visited = 0; budget > 0 && visited < this.tables.length; visited++) {
      const table = this.tables[this.next] as SweptTable;
      const read = await this.scan(table, nowMs, this.cursors.get(table.name), budget);
      deleted += read.deleted;
      budget -= read.scanned;
      this.cursors.set(table.name, read.next);
      if (!read.next) this.next = (this.next + 1) % this.tables.length;
    }
    return deleted;
  }

  /** Reads `table` from `start` page by page, to its end or until `budget` items were read. */
  private async scan(
    table: SweptTable,
    nowMs: number,
    start: Key | undefined,
    budget: number,
  ): Promise<{ deleted: number; scanned: number; next?: Key }> {
    let deleted = 0;
    let scanned = 0;
    let next = start;
    do {
      const page = await this.page(table, nowMs, next, Math.min(PAGE_ITEMS, budget - scanned));
      deleted += page.deleted;
      scanned += Math.max(1, page.scanned);
      next = page.next;
    } while (next && scanned < budget);
    return { deleted, scanned, ...(next ? { next } : {}) };
  }

  private async page(
    table: SweptTable,
    nowMs: number,
    start: Key | undefined,
    limit: number,
  ): Promise<{ deleted: number; scanned: number; next?: Key }> {
    const names: Record<string, string> = { '#ttl': table.ttlAttribute as string };
    table.keyNames.forEach((k, i) => {
      names[`#k${i}`] = k;
    });
    const now = { ':now': { N: String(Math.floor(nowMs / 1000)) } };
    const page = await this.admin.send(
      new ScanCommand({
        TableName: table.name,
        // Limit counts the items read, before the filter: what a step's budget is about.
        Limit: limit,
        FilterExpression: '#ttl < :now',
        ProjectionExpression: table.keyNames.map((_, i) => `#k${i}`).join(', '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: now,
        ExclusiveStartKey: start,
      }),
    );
    let deleted = 0;
    for (const key of page.Items ?? []) {
      try {
        // Conditional: an item rewritten with a later TTL since the scan stays.
        await this.admin.send(
          new DeleteItemCommand({
            TableName: table.name,
            Key: key,
            ConditionExpression: '#ttl < :now',
            ExpressionAttributeNames: { '#ttl': table.ttlAttribute as string },
            ExpressionAttributeValues: now,
          }),
        );
        deleted++;
      } catch (e) {
        if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
      }
    }
    return {
      deleted,
      scanned: page.ScannedCount ?? 0,
      ...(page.LastEvaluatedKey ? { next: page.LastEvaluatedKey } : {}),
    };
  }
}
