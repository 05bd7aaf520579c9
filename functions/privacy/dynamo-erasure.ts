import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Item, isConditionFailed, queryAll } from '../adapters/dynamo-items';
import { CASE_PARTITION, keys } from '../adapters/table-keys';
import type { CaseErasure } from '../domain/model';
import type { CaseEraser } from '../domain/ports';
import { NotFoundError } from '../shared/errors';

// Erasing a case's personal data. The first write removes the case's data key together with every
// sealed value on the case item and marks it erased: from then on nothing of the case can be read,
// wherever a copy of a sealed value lies (an index, a replica, an old file). The steps' and events'
// sealed values, the steps' phone hash and their place in the phone index go next, so no SMS can find
// the case; the citizen's helpers (delegation/) lose their names and links. Each write is idempotent,
// so a retry after a crash finishes the work. Statuses, stage
// timings, the event types and the processing log stay: the anonymous statistics and the account of
// who did what.

/** Every personal attribute of the case item (the sealed ones, and the clear ones of older cases). */
const CASE_PERSONAL = [
  'dataKey',
  'referenceEnc',
  'reference',
  'contextEnc',
  'cancelReasonEnc',
  'cancelReason',
];
const CONTACT_PERSONAL = ['nameEnc', 'phoneEnc', 'emailEnc', 'phoneHash'];
/** Events whose detail holds a partner's reason. */
const REASONED_EVENTS = ['CASE_CANCELLED', 'CASE_REOPENED'];
const STEP_PERSONAL = ['dataEnc', 'data', 'phoneHash', 'shortCode', 'gsi1pk', 'gsi1sk'];

export class DynamoCaseEraser implements CaseEraser {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async erase(caseId: string, erasure: CaseErasure): Promise<CaseErasure> {
    const names: Record<string, string> = {
      '#erased': 'erased',
      '#updatedAt': 'updatedAt',
      '#citizen': 'citizen',
    };
    const removals = CASE_PERSONAL.map((name) => {
      names[`#${name}`] = name;
      return `#${name}`;
    });
    for (const name of CONTACT_PERSONAL) {
      names[`#c_${name}`] = name;
      removals.push(`#citizen.#c_${name}`);
    }
    let out: { Attributes?: Item };
    try {
      out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.case(caseId),
          // The first erasure is the one that counts; a retry keeps its time and author.
          UpdateExpression: `SET #erased = if_not_exists(#erased, :erasure), #updatedAt = :at REMOVE ${removals.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ':erasure': erasure, ':at': erasure.at },
          ReturnValues: 'ALL_NEW',
        }),
      );
    } catch (error) {
      if (isConditionFailed(error)) throw new NotFoundError('There is no such case.', { caseId });
      throw error;
    }
    await this.eraseParts(caseId, erasure.at);
    return (out.Attributes?.erased as CaseErasure | undefined) ?? erasure;
  }

  /** The sealed answers and phone index entries of the steps, and the sealed reasons in events. */
  private async eraseParts(caseId: string, at: string): Promise<void> {
    const items = await queryAll(this.db, this.table, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.case(caseId).pk },
      ConsistentRead: true,
    });
    const writes: Promise<unknown>[] = [];
    for (const item of items) {
      const sk = String(item.sk);
      if (sk.startsWith(CASE_PARTITION.step)) {
        const present = STEP_PERSONAL.filter((name) => item[name] !== undefined);
        if (present.length > 0)
          writes.push(
            this.remove(
              item,
              present.map((name) => [name]),
            ),
          );
      } else if (sk.startsWith(CASE_PARTITION.delegate)) {
        writes.push(this.endDelegate(item, at));
      } else if (sk.startsWith(CASE_PARTITION.event) && REASONED_EVENTS.includes(String(item.type))) {
        // The reason for stopping or reopening (sealed; in clear on cancels from before data keys).
        const detail = item.detail as Record<string, unknown> | undefined;
        if (detail?.reasonEnc !== undefined || detail?.reason !== undefined)
          writes.push(
            this.remove(item, [
              ['detail', 'reasonEnc'],
              ['detail', 'reason'],
            ]),
          );
      }
    }
    await Promise.all(writes);
  }

  /** A helper's name goes and their link stops working (revoked as of the erasure, unless before). */
  private endDelegate(item: Item, at: string): Promise<unknown> {
    return this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :now) REMOVE nameEnc',
        ExpressionAttributeValues: { ':now': at },
      }),
    );
  }

  private remove(item: Item, paths: string[][]): Promise<unknown> {
    const names: Record<string, string> = {};
    const removals = paths.map((path) =>
      path
        .map((part) => {
          names[`#${part}`] = part;
          return `#${part}`;
        })
        .join('.'),
    );
    return this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: `REMOVE ${removals.join(', ')}`,
        ExpressionAttributeNames: names,
      }),
    );
  }
}
