import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Actor } from '../domain/model';
import type { Addition, Counters, ReportTally, TallyMark, TallyRow } from '../reports/ports';
import { putNew, queryAll } from './dynamo-items';
import { keys } from './table-keys';

// The service report's running aggregates: one item per organisation's service, day, stage and side,
// whose counters grow by DynamoDB ADD (no read before the write, so concurrent additions all land).
// All days of a service share one partition, so a report over any range is one query of at most
// days x stages x 2 items, whatever the number of cases. A marker item in the case's partition is
// claimed with a conditional put before anything is added: a fact counts once (ports.ts).

const SIDES: readonly string[] = ['citizen', 'provider'];

export class DynamoReportTally implements ReportTally {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async addOnce(mark: TallyMark, additions: readonly Addition[]): Promise<boolean> {
    const marked = await putNew(this.db, this.table, {
      ...keys.tallyMark(mark.caseId, mark.id),
      ttl: mark.ttl,
    });
    if (!marked) return false;
    await Promise.all(additions.map((addition) => this.add(addition)));
    return true;
  }

  private add({ key, counts }: Addition): Promise<unknown> {
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const parts = Object.entries(counts).map(([name, value], i) => {
      names[`#c${i}`] = name;
      values[`:c${i}`] = value;
      return `#c${i} :c${i}`;
    });
    return this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.tally(key.org, key.serviceId, key.day, key.stageId, key.side),
        UpdateExpression: `ADD ${parts.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async read(org: string, serviceId: string, from: string, to: string): Promise<TallyRow[]> {
    const first = keys.tally(org, serviceId, from, '', '');
    const items = await queryAll(this.db, this.table, {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      // '~' sorts after '#': every stage and side of the last day.
      ExpressionAttributeValues: { ':pk': first.pk, ':from': `DAY#${from}`, ':to': `DAY#${to}~` },
    });
    return items.flatMap((item): TallyRow[] => {
      const [, day, stageId, side] = String(item.sk).split('#');
      if (day === undefined || stageId === undefined || side === undefined || !SIDES.includes(side))
        return [];
      const counts: Counters = {};
      for (const [name, value] of Object.entries(item))
        if (typeof value === 'number' && name !== 'ttl') counts[name] = value;
      return [{ day, stageId, side: side as Actor, counts }];
    });
  }
}
