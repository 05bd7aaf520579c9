import type { OpenStepInput } from '../domain/ports';
import { type Item, omit } from './dynamo-items';
import { keys } from './table-keys';

// The schedule conditions of the step writes (dynamo-steps.ts), and the invite's write: a new attempt
// of a step, every field (re)written. The previous attempt's answer stays, sealed, until this attempt is
// answered: when a stage runs again, both partners still read what was answered the last time (the care
// plan that was turned down, and why). Its submission details go: an OPEN step's answer is an earlier one.

/** The step's schedule is the definition's in visit :v (no accepted proposal moved it). */
export const UNSHIFTED =
  '(attribute_not_exists(retime) OR retime.visit <> :v OR retime.shiftSeconds = :zeroShift)';
/** The step's schedule in visit :v is shifted by :shift. */
export const SHIFTED = '(retime.visit = :v AND retime.shiftSeconds = :shift)';

/** The shift of the step's schedule in `visit` (0: none). */
export function shiftOf(item: Item, visit: number): number {
  const retime = item.retime as { visit?: number; shiftSeconds?: number } | undefined;
  return retime && Number(retime.visit) === visit ? Number(retime.shiftSeconds ?? 0) : 0;
}

/**
 * The invite's UpdateItem, to be sent with ReturnValues ALL_OLD: the item before the write tells whether
 * this visit was open already (a repeated invite, not `fresh`), and the item after it is that one with
 * these fields set and removed, so no read is needed for either.
 */
export function inviteWrite(input: OpenStepInput, ttl: number) {
  const { caseId, stepId, phoneHash, shortCode } = input;
  const fields: Item = {
    caseId,
    stepId,
    actor: input.actor,
    status: 'OPEN',
    visit: input.visit,
    taskToken: input.taskToken,
    openedAt: input.openedAt,
    dueAt: input.dueAt,
    expiresAt: input.expiresAt,
    reminders: 0,
    escalated: false,
    ttl,
    ...(shortCode !== undefined && { shortCode }),
    ...(phoneHash !== undefined && { phoneHash, ...keys.phoneIndex(phoneHash, caseId, stepId) }),
  };
  const remove = [
    'submittedAt',
    'channel',
    'submittedBy',
    'delegateId',
    'tokenRetimed',
    ...(shortCode === undefined ? ['shortCode'] : []),
    ...(phoneHash === undefined ? ['phoneHash', 'gsi1pk', 'gsi1sk'] : []),
  ];
  const Key = keys.step(caseId, stepId);
  const set = Object.keys(fields).map((name) => `#${name} = :${name}`);
  const update = {
    Key,
    UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.map((name) => `#${name}`).join(', ')}`,
    ConditionExpression: `attribute_not_exists(pk) OR #visit < :v OR (#visit = :v AND #status = :status AND ${UNSHIFTED})`,
    ExpressionAttributeNames: Object.fromEntries(
      [...Object.keys(fields), ...remove].map((name) => [`#${name}`, name]),
    ),
    ExpressionAttributeValues: {
      ...Object.fromEntries(Object.entries(fields).map(([name, value]) => [`:${name}`, value])),
      ':v': input.visit,
      ':zeroShift': 0,
    },
  };
  const outcome = (before: Item) => ({
    item: { ...omit(before, remove), ...Key, ...fields },
    fresh: before.visit === undefined || Number(before.visit) < input.visit,
  });
  return { update, outcome };
}
