import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SessionStore, StoredSession } from '../console/session';
import { keys } from './table-keys';

// The console's sessions on the single table: one item per sign-in, keyed by a keyed hash of the
// session id (the table never holds a usable cookie), removed by TTL when the session ends and at once
// by a sign-out. Reads are consistent: a sign-out must count from the next request on.

export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async put(sessionHash: string, session: StoredSession): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.session(sessionHash), ...session, ttl: session.exp },
      }),
    );
  }

  async get(sessionHash: string): Promise<StoredSession | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.session(sessionHash), ConsistentRead: true }),
    );
    const item = out.Item;
    if (!item) return undefined;
    return {
      sub: String(item.sub),
      org: String(item.org),
      orgKind: String(item.orgKind),
      exp: Number(item.exp),
    };
  }

  async delete(sessionHash: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: keys.session(sessionHash) }));
  }
}
