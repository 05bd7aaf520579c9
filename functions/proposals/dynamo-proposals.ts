import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed, toStep } from '../adapters/dynamo-items';
import { keys } from '../adapters/table-keys';
import type { ProposalRecord, StepRecord } from '../domain/model';
import type { ProposalAnswer, ProposalBase, ProposalStore } from './ports';

// Proposals live on their step's item (`proposals`, a map by id; `proposalOpen`, the one awaiting its
// answer; `proposalSeq`, how many were made), so that every rule about them is one conditional
// UpdateItem on one item: a proposal only on the step as it was read, an answer only to the open
// proposal of the open step, the accepted dates in the same write as the answer.

export class DynamoProposalStore implements ProposalStore {
  constructor(
    private readonly db: () => DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async propose(caseId: string, stepId: string, base: ProposalBase, proposal: ProposalRecord) {
    const first = base.seq === 0;
    const written = await this.update({
      Key: keys.step(caseId, stepId),
      // The map is created with the first proposal (a nested SET needs its parent to exist).
      UpdateExpression: `SET ${first ? 'proposals = :map' : 'proposals.#id = :proposal'}, proposalOpen = :id, proposalSeq = :next`,
      ConditionExpression: `#status = :open AND visit = :v AND ${first ? 'attribute_not_exists(proposalSeq)' : 'proposalSeq = :seq'}`,
      ExpressionAttributeNames: { '#status': 'status', ...(first ? {} : { '#id': proposal.proposalId }) },
      ExpressionAttributeValues: {
        ':open': 'OPEN',
        ':v': base.visit,
        ':id': proposal.proposalId,
        ':next': base.seq + 1,
        ...(first
          ? { ':map': { [proposal.proposalId]: proposal } }
          : { ':proposal': proposal, ':seq': base.seq }),
      },
    });
    return written !== undefined;
  }

  async answer(caseId: string, stepId: string, answer: ProposalAnswer): Promise<StepRecord | undefined> {
    const set = ['proposals.#id.#status = :answer', 'proposals.#id.answeredAt = :at'];
    const values: Record<string, unknown> = {
      ':answer': answer.status,
      ':at': answer.answeredAt,
      ':id': answer.proposalId,
      ':open': 'OPEN',
      ':v': answer.visit,
    };
    if (answer.noteEnc !== undefined) {
      set.push('proposals.#id.noteEnc = :note');
      values[':note'] = answer.noteEnc;
    }
    if (answer.move) {
      // The running wait is ended next (Step.Retimed): an answer in between goes to the re-armed one.
      set.push('dueAt = :dueAt', 'expiresAt = :expiresAt', 'retime = :retime', 'tokenRetimed = :true');
      values[':true'] = true;
      values[':dueAt'] = answer.move.dueAt;
      values[':expiresAt'] = answer.move.expiresAt;
      values[':retime'] = { visit: answer.visit, shiftSeconds: answer.move.shiftSeconds };
    }
    const written = await this.update({
      Key: keys.step(caseId, stepId),
      UpdateExpression: `SET ${set.join(', ')} REMOVE proposalOpen`,
      ConditionExpression:
        'proposalOpen = :id AND #status = :open AND visit = :v AND proposals.#id.#status = :open',
      ExpressionAttributeNames: { '#status': 'status', '#id': answer.proposalId },
      ExpressionAttributeValues: values,
    });
    return written && toStep(written);
  }

  async expire(caseId: string, stepId: string, proposalId: string, at: string) {
    const written = await this.update({
      Key: keys.step(caseId, stepId),
      UpdateExpression: 'SET proposals.#id.#status = :expired, proposals.#id.answeredAt = :at',
      ConditionExpression: 'proposals.#id.#status = :open',
      ExpressionAttributeNames: { '#status': 'status', '#id': proposalId },
      ExpressionAttributeValues: { ':expired': 'EXPIRED', ':open': 'OPEN', ':at': at },
    });
    return written !== undefined;
  }

  private async update(
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'ReturnValues'>,
  ): Promise<Record<string, unknown> | undefined> {
    try {
      const out = await this.db().send(
        new UpdateCommand({ TableName: this.table, ReturnValues: 'ALL_NEW', ...input }),
      );
      return out.Attributes ?? {};
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }
}
