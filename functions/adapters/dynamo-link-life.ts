import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './dynamo-items';
import { keys } from './table-keys';

/**
 * The end of the citizen's own link moves on (domain/link-life.ts): on the case item, which the page
 * reads, then on the link item, which lets a request in. Each only forward, so of two openings at once
 * the later end stands; an item that is gone (an erased or expired case) is left gone.
 */
export async function extendLink(
  db: DynamoDBDocumentClient,
  table: string,
  link: { caseId: string; linkHash: string; until: string },
): Promise<void> {
  const later = async (key: Record<string, string>, attribute: string) => {
    try {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: key,
          UpdateExpression: 'SET #end = :until',
          ConditionExpression: 'caseId = :case AND #end < :until',
          ExpressionAttributeNames: { '#end': attribute },
          ExpressionAttributeValues: { ':until': link.until, ':case': link.caseId },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  };
  await later(keys.case(link.caseId), 'linkExpiresAt');
  await later(keys.link(link.linkHash), 'expiresAt');
}
