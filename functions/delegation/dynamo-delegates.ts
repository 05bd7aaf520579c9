import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Item, isConditionFailed, omit } from '../adapters/dynamo-items';
import { keys } from '../adapters/table-keys';
import type { DelegateIndex, DelegateRecord, DelegateStore } from './model';

// The delegates of a case on the single table: one DELEGATE#<id> item each in the case's partition,
// and the delegate link as a LINK# item like the citizen's own (its hash, the case, the delegate and
// its expiry). Single-item conditional writes only: the case item's `delegateIndex` (id -> expiry of
// the delegates not revoked) and `delegateVersion` change together, conditionally, so the limit holds
// under concurrent additions; the link is written before the delegate, so a crash in between leaves
// a link that opens nothing (its index entry frees itself when it expires).

const INTERNAL = ['pk', 'sk', 'ttl'] as const;
const toDelegate = (item: Item) => omit(item, INTERNAL) as unknown as DelegateRecord;

export class DynamoDelegateStore implements DelegateStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async delegateIndex(caseId: string): Promise<DelegateIndex> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.case(caseId),
        ProjectionExpression: 'delegateIndex, delegateVersion',
        ConsistentRead: true,
      }),
    );
    const { delegateIndex: entries, delegateVersion: version } = out.Item ?? {};
    return {
      entries: entries && typeof entries === 'object' ? (entries as Record<string, string>) : {},
      version: typeof version === 'number' ? version : 0,
    };
  }

  async getDelegate(caseId: string, delegateId: string): Promise<DelegateRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.delegate(caseId, delegateId), ConsistentRead: true }),
    );
    return out.Item && toDelegate(out.Item);
  }

  async addDelegate(
    record: DelegateRecord,
    linkHash: string,
    index: DelegateIndex & { expired: string[] },
    ttl: number,
  ): Promise<boolean> {
    // The index and its version in one write: the limit was checked against exactly this version.
    const fresh = index.version === 0;
    const names: Record<string, string> = { '#index': 'delegateIndex' };
    const values: Record<string, unknown> = { ':next': index.version + 1 };
    let set: string;
    if (fresh) {
      set = 'SET #index = :entries, delegateVersion = :next';
      values[':entries'] = { [record.delegateId]: record.expiresAt };
    } else {
      names['#new'] = record.delegateId;
      values[':expires'] = record.expiresAt;
      values[':version'] = index.version;
      set = 'SET #index.#new = :expires, delegateVersion = :next';
    }
    const removals = index.expired.map((id, i) => {
      names[`#old${i}`] = id;
      return `#index.#old${i}`;
    });
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.case(record.caseId),
          UpdateExpression: removals.length > 0 && !fresh ? `${set} REMOVE ${removals.join(', ')}` : set,
          ConditionExpression: fresh
            ? 'attribute_exists(pk) AND attribute_not_exists(delegateVersion)'
            : 'attribute_exists(pk) AND delegateVersion = :version',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
    // A request sent again with its one-time key enters the same delegate again (delegates.ts): its
    // link may already be there, for this delegate only, and its item stays as first written.
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.link(linkHash),
          caseId: record.caseId,
          delegateId: record.delegateId,
          expiresAt: record.expiresAt,
          ttl,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR (caseId = :case AND delegateId = :delegate)',
        ExpressionAttributeValues: { ':case': record.caseId, ':delegate': record.delegateId },
      }),
    );
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.delegate(record.caseId, record.delegateId), ...record, ttl },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
    return true;
  }

  async revokeDelegate(caseId: string, delegateId: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.delegate(caseId, delegateId),
          UpdateExpression: 'SET revokedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
    // Out of the index: its place is free. Removing a key twice changes nothing, so no version.
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.case(caseId),
          UpdateExpression: 'REMOVE #index.#id',
          ConditionExpression: 'attribute_exists(#index)',
          ExpressionAttributeNames: { '#index': 'delegateIndex', '#id': delegateId },
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailed(error)) throw error;
      });
    return true;
  }
}
