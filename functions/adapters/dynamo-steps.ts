import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { StepRecord, StoredSubmission } from '../domain/model';
import type { OpenStepInput, OpenStepResult } from '../domain/ports';
import { type Item, isConditionFailed, toStep } from './dynamo-items';
import { inviteWrite, SHIFTED, shiftOf, UNSHIFTED } from './dynamo-step-invite';
import { keys } from './table-keys';

// Step items. Every transition is one conditional UpdateItem, so concurrent submissions, Lambda
// retries and stale invocations of an older visit change a step at most once.
//
// The phone index (gsi1) is sparse: a step is in it only while it is OPEN and its case has a phone.
// completeStep REMOVEs gsi1pk/gsi1sk in the same write that makes the step DONE, so an SMS can never
// find an answered step. To be able to put the step back on a revert, openStep also stores the
// (keyed, not reversible) `phoneHash` as a plain attribute; revertStep reads it and SETs the index
// keys again in the write that makes the step OPEN. A FilterExpression on status alone would
// keep every answered step of a phone in the index until retention and make SMS look-ups slower
// over time.
//
// An accepted proposal shifts a step's schedule (`retime`, functions/proposals/). Every wait carries
// the shift it was planned with, and its write holds only while the step's shift is that one: a wait
// planned on the old schedule is refused ('retimed') and re-armed on the new one, whatever the order
// of the answer and the wait's start.

const NAMES = { '#status': 'status' } as const;
// Lambda retries and a revert racing an open are rare; three rounds settle any interleaving seen.
const ATTEMPTS = 3;

export class StepStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly ttlOf: (caseId: string) => Promise<number>,
  ) {}

  async get(caseId: string, stepId: string): Promise<StepRecord | undefined> {
    const item = await this.read(caseId, stepId);
    return item && toStep(item);
  }

  async open(
    input: OpenStepInput,
    kind: 'invite' | 'reminder' | 'escalation' | 'none',
  ): Promise<OpenStepResult> {
    const ttl = kind === 'invite' ? await this.ttlOf(input.caseId) : 0;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (kind === 'invite') {
        const invited = await this.invite(input, ttl);
        if (invited) return { kind: 'opened', step: toStep(invited.item), fresh: invited.fresh };
      } else {
        const written = await this.rearm(input, kind);
        if (written) return { kind: 'rearmed', step: toStep(written) };
      }
      const current = await this.read(input.caseId, input.stepId);
      if (!current || Number(current.visit) > input.visit) return { kind: 'stale' };
      if (
        Number(current.visit) === input.visit &&
        current.status === 'OPEN' &&
        shiftOf(current, input.visit) !== (input.shiftSeconds ?? 0)
      )
        return { kind: 'retimed' };
      if (Number(current.visit) === input.visit && current.status === 'DONE') {
        const done = await this.handOverToken(input);
        if (done) return { kind: 'already-done', step: toStep(done) };
      } else if (kind !== 'invite' && Number(current.visit) < input.visit) {
        return { kind: 'stale' }; // a reminder for a visit that was never opened
      }
      // Otherwise the step changed between our write and the read (e.g. a revert): try again.
    }
    throw new Error(`openStep ${input.caseId}/${input.stepId} visit ${input.visit} did not settle`);
  }

  /** A new attempt (dynamo-step-invite.ts): the item as written, and whether this visit was open before. */
  private async invite(
    input: OpenStepInput,
    ttl: number,
  ): Promise<{ item: Item; fresh: boolean } | undefined> {
    const invite = inviteWrite(input, ttl);
    const before = await this.update(invite.update, 'ALL_OLD');
    return before && invite.outcome(before);
  }

  /** Same attempt, next wait segment: only the token and the notice bookkeeping change. */
  private rearm(input: OpenStepInput, kind: 'reminder' | 'escalation' | 'none'): Promise<Item | undefined> {
    const shift = input.shiftSeconds ?? 0;
    // A new token waits: whatever a retime said about the previous one (tokenRetimed) is over.
    const update = {
      reminder: 'SET taskToken = :t REMOVE tokenRetimed ADD reminders :one',
      escalation: 'SET taskToken = :t, escalated = :true REMOVE tokenRetimed',
      none: 'SET taskToken = :t REMOVE tokenRetimed',
    }[kind];
    return this.update({
      Key: keys.step(input.caseId, input.stepId),
      UpdateExpression: update,
      ConditionExpression: `visit = :v AND #status = :open AND ${shift === 0 ? UNSHIFTED : SHIFTED}`,
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: {
        ':t': input.taskToken,
        ':v': input.visit,
        ':open': 'OPEN',
        ...(kind === 'reminder' && { ':one': 1 }),
        ...(kind === 'escalation' && { ':true': true }),
        ...(shift === 0 ? { ':zeroShift': 0 } : { ':shift': shift }),
      },
    });
  }

  /** Answered between two wait segments: the new token is the one the answer must now complete. */
  private handOverToken(input: OpenStepInput): Promise<Item | undefined> {
    return this.update({
      Key: keys.step(input.caseId, input.stepId),
      UpdateExpression: 'SET taskToken = :t REMOVE tokenRetimed',
      ConditionExpression: 'visit = :v AND #status = :done',
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: { ':t': input.taskToken, ':v': input.visit, ':done': 'DONE' },
    });
  }

  /**
   * The answers are stored sealed (dataEnc); a clear `data` from before data keys goes. Whatever wait
   * is open at the write is the one answered: the step after the write names its token and visit, so
   * a reminder that re-armed the step just before cannot leave the answer with a stale token.
   */
  async complete(caseId: string, submission: StoredSubmission): Promise<StepRecord | undefined> {
    const by = submission.submittedBy;
    const delegate = submission.delegateId;
    const opened = submission.openedAt;
    // Who answered: staff (submittedBy) or a delegate of the citizen; whatever is not set goes.
    const set = [
      '#status = :done, dataEnc = :dataEnc, submittedAt = :submittedAt, channel = :channel',
      ...(by === undefined ? [] : ['submittedBy = :by']),
      ...(delegate === undefined ? [] : ['delegateId = :delegate']),
    ];
    const remove = [
      '#data',
      ...(by === undefined ? ['submittedBy'] : []),
      ...(delegate === undefined ? ['delegateId'] : []),
      'gsi1pk',
      'gsi1sk',
    ];
    const written = await this.update({
      Key: keys.step(caseId, submission.stepId),
      UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
      ConditionExpression: `#status = :open AND actor = :actor AND attribute_exists(taskToken)${opened === undefined ? '' : ' AND openedAt = :openedAt'}`,
      ExpressionAttributeNames: { ...NAMES, '#data': 'data' },
      ExpressionAttributeValues: {
        ...(opened === undefined ? {} : { ':openedAt': opened }),
        ':done': 'DONE',
        ':open': 'OPEN',
        ':dataEnc': submission.dataEnc,
        ':submittedAt': submission.submittedAt,
        ':channel': submission.channel,
        ':actor': submission.actor,
        ...(by === undefined ? {} : { ':by': by }),
        ...(delegate === undefined ? {} : { ':delegate': delegate }),
      },
    });
    return written && toStep(written);
  }

  async revert(caseId: string, stepId: string, taskToken: string): Promise<boolean> {
    const current = await this.read(caseId, stepId);
    if (current?.status !== 'DONE' || current.taskToken !== taskToken) return false;
    const phoneHash = typeof current.phoneHash === 'string' ? current.phoneHash : undefined;
    const index = phoneHash === undefined ? undefined : keys.phoneIndex(phoneHash, caseId, stepId);
    const written = await this.update({
      Key: keys.step(caseId, stepId),
      UpdateExpression:
        (index ? 'SET #status = :open, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk' : 'SET #status = :open') +
        ' REMOVE #data, dataEnc, submittedAt, channel, submittedBy, delegateId',
      // visit: the phone hash read above belongs to this attempt only.
      ConditionExpression: '#status = :done AND taskToken = :t AND visit = :v',
      ExpressionAttributeNames: { ...NAMES, '#data': 'data' },
      ExpressionAttributeValues: {
        ':open': 'OPEN',
        ':done': 'DONE',
        ':t': taskToken,
        ':v': current.visit,
        ...(index && { ':gsi1pk': index.gsi1pk, ':gsi1sk': index.gsi1sk }),
      },
    });
    return written !== undefined;
  }

  private async read(caseId: string, stepId: string): Promise<Item | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.step(caseId, stepId), ConsistentRead: true }),
    );
    return out.Item;
  }

  /** The item after the write (or before it: ALL_OLD), or undefined when the condition did not hold. */
  private async update(
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'ReturnValues'>,
    returned: 'ALL_NEW' | 'ALL_OLD' = 'ALL_NEW',
  ): Promise<Item | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({ TableName: this.table, ReturnValues: returned, ...input }),
      );
      return out.Attributes ?? {};
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }
}
