import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { StepRecord } from '../domain/model';
import type { Clock, InboundClaim } from '../domain/ports';
import { isConditionFailed, putNew, queryAll, toStep } from './dynamo-items';
import { keys, TABLE } from './table-keys';

// What the SMS webhook needs: open steps by phone, STOP/START, and the claims of inbound message ids.

/** A stored claim; one without an outcome (written before claims said what they answer) is settled. */
function claimOf(item: Record<string, unknown> | undefined): InboundClaim {
  const answers = item?.answers as InboundClaim['answers'] | undefined;
  const valid =
    answers &&
    typeof answers.caseId === 'string' &&
    typeof answers.stepId === 'string' &&
    typeof answers.visit === 'number';
  return {
    outcome: item?.outcome === 'submitting' ? 'submitting' : 'settled',
    ...(valid && { answers: { caseId: answers.caseId, stepId: answers.stepId, visit: answers.visit } }),
  };
}

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

  async claimInbound(
    messageId: string,
    ttl: number,
    claim: InboundClaim,
  ): Promise<{ fresh: true } | { fresh: false; claim: InboundClaim }> {
    if (await putNew(this.db, this.table, { ...keys.inbound(messageId), ttl, ...claim }))
      return { fresh: true };
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.inbound(messageId), ConsistentRead: true }),
    );
    return { fresh: false, claim: claimOf(out.Item) };
  }

  async settleInbound(messageId: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.inbound(messageId),
          UpdateExpression: 'SET #outcome = :settled',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#outcome': 'outcome' },
          ExpressionAttributeValues: { ':settled': 'settled' },
        }),
      );
    } catch (error) {
      // Expired meanwhile (after a week): nothing left to settle.
      if (!isConditionFailed(error)) throw error;
    }
  }
}
