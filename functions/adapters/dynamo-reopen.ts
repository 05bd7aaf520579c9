import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseReopener, Reopened } from '../domain/ports';
import { isConditionFailed } from './dynamo-items';
import { CASE_BOOKKEEPING as BOOK, continuationName, keys } from './table-keys';

// COMPLETED -> ACTIVE for a reopened case, as one conditional UpdateItem on the case item, so of any
// number of repeated or concurrent requests exactly one goes through. The new execution is named and
// counted like a continuation (lib/constructs/workflow/continuation.ts): with `continuations` = c
// before, the write makes it c + 1 and names the execution `<caseId>-<c + 2>`, the name the machine
// would give its next continuation, so a later continuation (c + 2, c + 3) never reuses it. The
// condition holds `continuations` and the completion time as read, so a write based on a stale read
// changes nothing.

export class CaseReopenStore implements CaseReopener {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async reopen(caseId: string, completedAt: string, at: string): Promise<Reopened | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.case(caseId), ConsistentRead: true }),
    );
    const item = out.Item;
    if (item?.status !== 'COMPLETED' || item.updatedAt !== completedAt) return undefined;
    const before = typeof item[BOOK.continuations] === 'number' ? item[BOOK.continuations] : 0;
    const continuation = before + 2;
    const execution = continuationName(caseId, continuation);
    const index = keys.serviceIndex(
      String(item.org),
      String(item.serviceId),
      'ACTIVE',
      String(item.createdAt),
      caseId,
    );
    const counted =
      before === 0
        ? '(attribute_not_exists(#continuations) OR #continuations = :before)'
        : '#continuations = :before';
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.case(caseId),
          // A fresh execution starts with fresh budgets, as after a continuation.
          UpdateExpression:
            'SET #status = :active, #updatedAt = :at, #gsi2sk = :gsi2sk, #execution = :execution, #continuations = :after, #seconds = :zero, #events = :zero, #reopened = :reopened',
          ConditionExpression: `#status = :completed AND #updatedAt = :completedAt AND ${counted}`,
          ExpressionAttributeNames: {
            '#status': 'status',
            '#updatedAt': 'updatedAt',
            '#gsi2sk': 'gsi2sk',
            '#execution': BOOK.execution,
            '#continuations': BOOK.continuations,
            '#seconds': BOOK.budgetSeconds,
            '#events': BOOK.budgetEvents,
            '#reopened': 'reopened',
          },
          ExpressionAttributeValues: {
            ':active': 'ACTIVE',
            ':completed': 'COMPLETED',
            ':at': at,
            ':completedAt': completedAt,
            ':gsi2sk': index.gsi2sk,
            ':execution': execution,
            ':before': before,
            ':after': before + 1,
            ':zero': 0,
            ':reopened': { at, execution },
          },
        }),
      );
      return { execution, continuation };
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }
}
