import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseEvent, CaseRecord } from '../domain/model';
import type { NewCase } from '../domain/ports';
import { batchWrite } from './dynamo-batch';
import { type Item, isConditionFailed, putItem } from './dynamo-items';
import { keys } from './table-keys';

// Creating cases: one (POST /cases), or a round batch's at once. Three writes per case, in an order that
// a retry after a crash converges from: the link (derived from the caseId, so rewriting it is harmless, and
// a case item never exists without its link), the case item (conditional: 'exists' for a replay or a
// clash), then its CASE_CREATED event (deterministic key). A batch writes its links and its events with
// BatchWriteItem, 25 to a call: only the case items need a condition, so only they go one by one.

/** Case items written at the same time by one batch. */
const IN_FLIGHT = 8;

type Outcome = 'created' | 'exists';

export class CaseCreator {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly getCase: (caseId: string) => Promise<CaseRecord | undefined>,
    /** The new case's ttl, which its events copy. */
    private readonly created: (caseId: string, ttl: number) => void,
  ) {}

  async createOne(record: CaseRecord, linkHash: string): Promise<Outcome> {
    await this.put(linkItem(record, linkHash));
    const outcome = await this.putCase(record);
    const event = await this.createdEvent(record, outcome);
    if (event) await this.put(event);
    return outcome;
  }

  /** Outcomes in the order of `cases`. */
  async createMany(cases: readonly NewCase[]): Promise<Outcome[]> {
    // A row repeated within a batch would name the same item twice, which BatchWriteItem refuses.
    await this.putAll(unique(cases.map((c) => linkItem(c.record, c.linkHash))));
    const outcomes: Outcome[] = [];
    const events: Item[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const index = next++;
        const { record } = cases[index] as NewCase;
        const outcome = await this.putCase(record);
        outcomes[index] = outcome;
        const event = await this.createdEvent(record, outcome);
        if (event) events.push(event);
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, cases.length) }, worker));
    await this.putAll(unique(events));
    return outcomes;
  }

  private async putCase(record: CaseRecord): Promise<Outcome> {
    const index = keys.serviceIndex(
      record.org,
      record.serviceId,
      record.status,
      record.createdAt,
      record.caseId,
    );
    // A round's case is also in byRound, which the round's counts and spread query.
    const roundIndex = record.roundId === undefined ? {} : keys.roundIndex(record.roundId, record.caseId);
    try {
      await this.put(
        { ...keys.case(record.caseId), ...record, ...index, ...roundIndex, visits: 0 },
        'attribute_not_exists(pk)',
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      return 'exists';
    }
    this.created(record.caseId, record.ttl);
    return 'created';
  }

  /**
   * The CASE_CREATED event to write: the new case's, or on a replay of the same request the stored case's,
   * in case the first run crashed before writing it (its key is deterministic, so it is never doubled).
   */
  private async createdEvent(record: CaseRecord, outcome: Outcome): Promise<Item | undefined> {
    if (outcome === 'created') return createdItem(record);
    const existing = await this.getCase(record.caseId);
    return existing?.requestHash === record.requestHash ? createdItem(existing) : undefined;
  }

  private put(item: Item, condition?: string): Promise<void> {
    return putItem(this.db, this.table, item, condition);
  }

  private putAll(items: Item[]): Promise<void> {
    return batchWrite(
      this.db,
      this.table,
      items.map((item) => ({ PutRequest: { Item: item } })),
    );
  }
}

function linkItem(record: CaseRecord, linkHash: string): Item {
  return { ...keys.link(linkHash), caseId: record.caseId, expiresAt: record.linkExpiresAt, ttl: record.ttl };
}

function createdItem(record: CaseRecord): Item {
  const event: CaseEvent = {
    caseId: record.caseId,
    at: record.createdAt,
    type: 'CASE_CREATED',
    actor: 'provider',
  };
  return { ...keys.event(record.caseId, record.createdAt, 'created'), ...event, ttl: record.ttl };
}

/** One item per key (the last one given). */
function unique(items: Item[]): Item[] {
  return [...new Map(items.map((item) => [`${item.pk}\u0000${item.sk}`, item])).values()];
}
