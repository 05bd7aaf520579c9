import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { StepRecord } from '../domain/model';
import type { Clock } from '../domain/ports';
import { isConditionFailed, queryAll, toStep } from './dynamo-items';
import { keys, TABLE } from './table-keys';

// What the SMS webhook needs: open steps by phone, STOP/START, and dedup of retried webhooks.

export class PhoneStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async openSteps(phoneHash: string): Promise<StepRecord[]> {
    // The index is sparse (only OPEN steps carry gsi1 keys, see dynamo-steps.ts); the filter also
    // covers the index's eventual consistency right after a completion.
    const items = await queryAll(this.db, this.table, {
      IndexName: TABLE.byPhone.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      FilterExpression: '#status = :open',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': keys.phoneIndex(phoneHash, '', '').gsi1pk, ':open': 'OPEN' },
    });
    return items.map(toStep);
  }

  async setOptOut(phoneHash: string, optedOut: boolean): Promise<void> {
    const Key = keys.optOut(phoneHash);
    if (optedOut) {
      // No ttl: a STOP holds until the number sends START.
      await this.db.send(
        new PutCommand({ TableName: this.table, Item: { ...Key, at: this.clock.now().toISOString() } }),
      );
    } else {
      await this.db.send(new DeleteCommand({ TableName: this.table, Key }));
    }
  }

  async isOptedOut(phoneHash: string): Promise<boolean> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.optOut(phoneHash), ConsistentRead: true }),
    );
    return out.Item !== undefined;
  }

  async claimInbound(messageId: string, ttl: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.inbound(messageId), ttl },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }
}
