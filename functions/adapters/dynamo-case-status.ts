import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseFailure, CaseRecord, CaseStatus, ClosedStatus } from '../domain/model';
import type { Clock } from '../domain/ports';
import { isConditionFailed } from './dynamo-items';
import { keys } from './table-keys';

// The case's status changes made by functions (the state machine makes its own: stage entries,
// COMPLETED and EXPIRED). Each is one conditional UpdateItem, so it happens exactly once however
// many requests race, and each moves the byService index sort key along with the status.

type Change = {
  set: Record<string, unknown>;
  remove?: string[];
  condition: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
};

export class CaseStatusStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly clock: Clock,
    /** A consistent read of the case: the index key embeds createdAt, which an update cannot read. */
    private readonly read: (caseId: string) => Promise<CaseRecord | undefined>,
  ) {}

  /** ACTIVE -> to; a FAILED case can be CANCELLED too, and its failure goes with it. */
  async close(caseId: string, to: ClosedStatus, sealedReason?: string): Promise<boolean> {
    const from: CaseStatus[] = to === 'CANCELLED' ? ['ACTIVE', 'FAILED'] : ['ACTIVE'];
    const current = await this.read(caseId);
    if (!current || !from.includes(current.status)) return false;
    return this.move(current, to, {
      set: sealedReason === undefined ? {} : { cancelReasonEnc: sealedReason },
      remove: ['failure'],
      condition: from.length === 1 ? '#status = :active' : '#status IN (:active, :failed)',
      values: { ':active': 'ACTIVE', ...(from.length > 1 && { ':failed': 'FAILED' }) },
    });
  }

  async fail(caseId: string, failure: CaseFailure): Promise<boolean> {
    const current = await this.read(caseId);
    if (current?.status !== 'ACTIVE') return false;
    // The first execution has no `execution` attribute: it is named after the case.
    const currentExecution =
      failure.execution === caseId
        ? '(attribute_not_exists(#execution) OR #execution = :execution)'
        : '#execution = :execution';
    return this.move(current, 'FAILED', {
      set: { failure },
      condition: `#status = :active AND ${currentExecution} AND (attribute_not_exists(#redriven) OR #redriven.#execution <> :execution OR #redriven.#count <= :count)`,
      names: { '#execution': 'execution', '#redriven': 'redriven', '#count': 'count' },
      values: { ':active': 'ACTIVE', ':execution': failure.execution, ':count': failure.redriveCount },
    });
  }

  async reactivate(caseId: string, failure: CaseFailure): Promise<boolean> {
    const current = await this.read(caseId);
    if (current?.status !== 'FAILED') return false;
    return this.move(current, 'ACTIVE', {
      set: { redriven: { execution: failure.execution, count: failure.redriveCount + 1 } },
      remove: ['failure'],
      condition: '#status = :failed AND #failure.#execution = :execution AND #failure.#redriveCount = :count',
      names: { '#failure': 'failure', '#execution': 'execution', '#redriveCount': 'redriveCount' },
      values: { ':failed': 'FAILED', ':execution': failure.execution, ':count': failure.redriveCount },
    });
  }

  async restore(caseId: string, failure: CaseFailure): Promise<boolean> {
    const current = await this.read(caseId);
    if (current?.status !== 'ACTIVE') return false;
    return this.move(current, 'FAILED', {
      set: { failure },
      condition: '#status = :active AND #redriven.#execution = :execution AND #redriven.#count = :next',
      names: { '#redriven': 'redriven', '#execution': 'execution', '#count': 'count' },
      values: { ':active': 'ACTIVE', ':execution': failure.execution, ':next': failure.redriveCount + 1 },
    });
  }

  private async move(current: CaseRecord, to: CaseStatus, change: Change): Promise<boolean> {
    const index = keys.serviceIndex(current.org, current.serviceId, to, current.createdAt, current.caseId);
    const set = {
      status: to,
      updatedAt: this.clock.now().toISOString(),
      gsi2sk: index.gsi2sk,
      ...change.set,
    };
    const names: Record<string, string> = { ...change.names };
    const values: Record<string, unknown> = { ...change.values };
    const assignments = Object.entries(set).map(([name, value]) => {
      names[`#${name}`] = name;
      values[`:new_${name}`] = value;
      return `#${name} = :new_${name}`;
    });
    const removals = (change.remove ?? []).map((name) => {
      names[`#${name}`] = name;
      return `#${name}`;
    });
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.case(current.caseId),
          UpdateExpression: `SET ${assignments.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`,
          ConditionExpression: change.condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }
}
