import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { forEachPage } from '../adapters/dynamo-batch';
import { projectionOf } from '../adapters/dynamo-items';
import { keys, TABLE } from '../adapters/table-keys';
import type { CaseStatus } from '../domain/model';
import type { RoundSpread } from './model';

// The cases of a round, read from the byRound index. It projects only stage and status, so reading
// 100,000 cases costs little; pages are handled one at a time, never the whole round in memory.

export function byRoundQuery(table: string, roundId: string, pageLimit?: number) {
  return {
    TableName: table,
    IndexName: TABLE.byRound.name,
    KeyConditionExpression: 'gsi3pk = :pk',
    ExpressionAttributeValues: { ':pk': keys.roundIndex(roundId, '').gsi3pk },
    Limit: pageLimit,
  };
}

/** Active cases per stage ('' for one that has not entered its first stage yet), all per status. */
export async function spreadOfRound(
  db: DynamoDBDocumentClient,
  query: ReturnType<typeof byRoundQuery>,
): Promise<RoundSpread> {
  const spread: RoundSpread = { stages: {}, statuses: {}, counted: 0 };
  const projected = {
    ...query,
    ...projectionOf(['stage', 'status']),
  };
  await forEachPage(db, projected, (items) => {
    for (const item of items) {
      const status = item.status as CaseStatus;
      spread.counted++;
      spread.statuses[status] = (spread.statuses[status] ?? 0) + 1;
      if (status !== 'ACTIVE') continue;
      const stage = typeof item.stage === 'string' ? item.stage : '';
      spread.stages[stage] = (spread.stages[stage] ?? 0) + 1;
    }
  });
  return spread;
}
