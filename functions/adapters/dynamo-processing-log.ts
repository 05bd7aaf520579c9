import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ProcessingLog, ProcessingRecord } from '../domain/processing-log';
import { isConditionFailed } from './dynamo-items';
import { keys } from './table-keys';

// The processing log in the case's partition (LOG#<time>#<span>), with the case's ttl: kept exactly as
// long as the case. Append-only: each record is one conditional put on a key no other record has (the
// span id is random), so a record is never overwritten; nothing in the code updates or deletes one, and
// an erasure leaves them (they say that the data was erased, and by whom).

/** Puts in flight at once: a list page logs one record per case on it. */
const IN_FLIGHT = 25;

export class DynamoProcessingLog implements ProcessingLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** The case's ttl (a read, or the repository's cache). */
    private readonly ttlOf: (caseId: string) => Promise<number>,
  ) {}

  async append(records: readonly ProcessingRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += IN_FLIGHT)
      await Promise.all(records.slice(i, i + IN_FLIGHT).map((record) => this.put(record)));
  }

  private async put(record: ProcessingRecord): Promise<void> {
    const ttl = await this.ttlOf(record.caseId);
    // Its own PutCommand, not dynamo-items' shared putNew: test/lib/least-privilege.test.ts proves from
    // the code that a function that only reads a case writes nothing but this record, by where it is built.
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.processing(record.caseId, record.at, record.spanId), ...record, ttl },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // The same record again (a retried request that reuses its span): it is there already.
      if (!isConditionFailed(error)) throw error;
    }
  }
}
