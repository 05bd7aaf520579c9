import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { keys } from '../../../functions/adapters/table-keys';
import type { CaseRecord } from '../../../functions/domain/model';
import { useLocalTable } from '../../support/dynalite';
import { caseRecord, stepInput, submission } from './fixtures';

// Step transitions against a real DynamoDB API (dynalite): exactly-once completion, retries,
// stale visits, reminders between segments, revert, and the sparse phone index.

let repo: DynamoCaseRepository;
let record: CaseRecord;
const local = useLocalTable((db, tableName) => {
  repo = new DynamoCaseRepository(db, tableName);
});
beforeEach(async () => {
  record = caseRecord({ citizen: { phoneHash: `ph-${Math.random()}`, locale: 'nl' } });
  await repo.createCase(record, `link-${record.caseId}`);
});

const rawStep = async (stepId = 'separate-waste') =>
  (
    await local.db.send(
      new GetCommand({ TableName: local.table.tableName, Key: keys.step(record.caseId, stepId) }),
    )
  ).Item;
const phone = () => record.citizen.phoneHash ?? '';

describe('openStep invite', () => {
  it('opens a new step with every field, the case ttl and the phone index keys', async () => {
    const input = stepInput(record.caseId, { phoneHash: phone(), shortCode: 'B' });
    const result = await repo.openStep(input, 'invite');
    const { phoneHash: _, ...fields } = input;
    const expected = { ...fields, status: 'OPEN', reminders: 0, escalated: false };
    expect(result).toEqual({ kind: 'opened', step: expected, fresh: true });
    expect(await repo.getStep(record.caseId, input.stepId)).toEqual(expected);
    expect(await rawStep()).toMatchObject({
      ttl: record.ttl,
      ...keys.phoneIndex(phone(), record.caseId, input.stepId),
    });
  });

  it('is idempotent for a retry and lets a newer token of the same visit win', async () => {
    const input = stepInput(record.caseId);
    await repo.openStep(input, 'invite');
    // Not fresh: this visit was open already, so an earlier invocation may have sent the invitation.
    expect(await repo.openStep(input, 'invite')).toMatchObject({ kind: 'opened', fresh: false });
    const retried = await repo.openStep({ ...input, taskToken: 'newer' }, 'invite');
    expect(retried).toMatchObject({ kind: 'opened', step: { taskToken: 'newer', visit: 1 }, fresh: false });
  });

  it('answers the step as written, keeping what the invite does not write (a retime of the visit)', async () => {
    const input = stepInput(record.caseId, { phoneHash: phone(), shortCode: 'C' });
    await repo.openStep(input, 'invite');
    const retime = { visit: 1, shiftSeconds: 0 };
    await local.db.send(
      new UpdateCommand({
        TableName: local.table.tableName,
        Key: keys.step(record.caseId, input.stepId),
        UpdateExpression: 'SET retime = :retime',
        ExpressionAttributeValues: { ':retime': retime },
      }),
    );
    const again = await repo.openStep({ ...input, taskToken: 'again' }, 'invite');
    expect(again.kind === 'opened' && again.step).toEqual(await repo.getStep(record.caseId, input.stepId));
    expect(again).toMatchObject({ step: { retime, taskToken: 'again', shortCode: 'C' } });
  });

  it('ignores an invite of an older visit and re-opens for a newer one, keeping the old answer only', async () => {
    const first = stepInput(record.caseId, { visit: 1, phoneHash: phone() });
    await repo.openStep(first, 'invite');
    expect(await repo.completeStep(record.caseId, submission())).toMatchObject({ status: 'DONE', visit: 1 });

    const second = stepInput(record.caseId, { visit: 3 });
    expect(await repo.openStep(second, 'invite')).toMatchObject({
      kind: 'opened',
      step: { visit: 3, status: 'OPEN' },
      fresh: true,
    });
    const step = await repo.getStep(record.caseId, second.stepId);
    // The last visit's answer stays, sealed, as the earlier one; how and when it was given goes.
    expect(step?.dataEnc).toBe(submission().dataEnc);
    expect(step).not.toHaveProperty('submittedAt');
    expect(step).not.toHaveProperty('channel');
    expect(await rawStep()).not.toHaveProperty('gsi1pk'); // the new attempt has no phone
    expect(await repo.openStep(stepInput(record.caseId, { visit: 2 }), 'invite')).toEqual({ kind: 'stale' });
    expect((await repo.getStep(record.caseId, second.stepId))?.taskToken).toBe(second.taskToken);
    // A retried invite of the new visit keeps it too, and the new visit's answer replaces it.
    await repo.openStep({ ...second, taskToken: 'retried' }, 'invite');
    expect((await repo.getStep(record.caseId, second.stepId))?.dataEnc).toBe(submission().dataEnc);
    await repo.completeStep(record.caseId, submission({ dataEnc: 'v2.second-answer' }));
    expect((await repo.getStep(record.caseId, second.stepId))?.dataEnc).toBe('v2.second-answer');
  });

  it('hands a retried invite of an answered visit the new token as already-done', async () => {
    const input = stepInput(record.caseId);
    await repo.openStep(input, 'invite');
    await repo.completeStep(record.caseId, submission());
    const result = await repo.openStep({ ...input, taskToken: 'after-answer' }, 'invite');
    expect(result).toMatchObject({
      kind: 'already-done',
      step: { status: 'DONE', taskToken: 'after-answer', dataEnc: submission().dataEnc },
    });
  });

  it('refuses to open a step of an unknown case', async () => {
    await expect(repo.openStep(stepInput('no-such-case'), 'invite')).rejects.toThrow(/no-such-case/);
  });
});

describe('openStep reminder and escalation', () => {
  it('re-arms an open step with a new token, counting reminders and marking escalation', async () => {
    const input = stepInput(record.caseId);
    await repo.openStep(input, 'invite');
    const reminded = await repo.openStep({ ...input, taskToken: 't2' }, 'reminder');
    expect(reminded).toMatchObject({
      kind: 'rearmed',
      step: { taskToken: 't2', reminders: 1, escalated: false },
    });
    await repo.openStep({ ...input, taskToken: 't3' }, 'reminder');
    const escalated = await repo.openStep({ ...input, taskToken: 't4' }, 'escalation');
    expect(escalated).toMatchObject({
      kind: 'rearmed',
      step: { taskToken: 't4', reminders: 2, escalated: true },
    });
  });

  it('answers already-done with the data when the step was answered between segments', async () => {
    const input = stepInput(record.caseId);
    await repo.openStep(input, 'invite');
    await repo.completeStep(record.caseId, submission());
    const result = await repo.openStep({ ...input, taskToken: 'reminder-token' }, 'reminder');
    expect(result).toMatchObject({
      kind: 'already-done',
      step: { taskToken: 'reminder-token', status: 'DONE' },
    });
    expect(result.kind === 'already-done' && result.step.dataEnc).toEqual(submission().dataEnc);
  });

  it('is stale for another visit or a step that was never opened, and changes nothing', async () => {
    const input = stepInput(record.caseId, { visit: 2 });
    await repo.openStep(input, 'invite');
    expect(await repo.openStep({ ...input, visit: 1, taskToken: 'old' }, 'reminder')).toEqual({
      kind: 'stale',
    });
    expect(await repo.openStep({ ...input, visit: 3, taskToken: 'future' }, 'escalation')).toEqual({
      kind: 'stale',
    });
    expect(await repo.openStep(stepInput(record.caseId, { stepId: 'never' }), 'reminder')).toEqual({
      kind: 'stale',
    });
    expect(await rawStep('never')).toBeUndefined();
    expect((await repo.getStep(record.caseId, input.stepId))?.taskToken).toBe(input.taskToken);
  });
});

describe('completeStep', () => {
  it('lets exactly one of 20 concurrent submissions complete the step', async () => {
    const input = stepInput(record.caseId, { phoneHash: phone() });
    await repo.openStep(input, 'invite');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        repo.completeStep(record.caseId, submission({ dataEnc: `v2.attempt-${i}` })),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.findIndex(Boolean);
    const step = await repo.getStep(record.caseId, input.stepId);
    expect(step).toMatchObject({ status: 'DONE', dataEnc: `v2.attempt-${winner}`, channel: 'web' });
    expect(results[winner]).toEqual(step);
    expect(step?.submittedAt).toBe(submission().submittedAt);
    expect(await rawStep()).not.toHaveProperty('gsi1pk');
  });

  it('answers the wait the step holds at the write: a re-armed token, with its visit', async () => {
    const input = stepInput(record.caseId, { visit: 2 });
    await repo.openStep(input, 'invite');
    await repo.openStep({ ...input, taskToken: 'reminder-token' }, 'reminder');
    expect(await repo.completeStep(record.caseId, submission())).toMatchObject({
      status: 'DONE',
      visit: 2,
      taskToken: 'reminder-token',
      dataEnc: submission().dataEnc,
    });
  });

  it('refuses another actor, a closed step, an unknown step and a step without a token', async () => {
    const input = stepInput(record.caseId);
    await repo.openStep(input, 'invite');
    expect(await repo.completeStep(record.caseId, submission({ actor: 'provider' }))).toBeUndefined();
    expect(await repo.completeStep(record.caseId, submission({ stepId: 'unknown' }))).toBeUndefined();
    expect(await rawStep('unknown')).toBeUndefined();
    expect((await repo.getStep(record.caseId, input.stepId))?.status).toBe('OPEN');
    const staff = { ...submission({ channel: 'api' }), submittedBy: 'staff-sub' };
    expect(await repo.completeStep(record.caseId, staff)).toMatchObject({ taskToken: input.taskToken });
    expect(await repo.getStep(record.caseId, input.stepId)).toMatchObject({
      submittedBy: 'staff-sub',
      channel: 'api',
    });
    expect(await repo.completeStep(record.caseId, submission())).toBeUndefined();
    // An OPEN step always holds its wait's token; one that does not is not answerable.
    await local.db.send(
      new UpdateCommand({
        TableName: local.table.tableName,
        Key: keys.step(record.caseId, input.stepId),
        UpdateExpression: 'SET #status = :open REMOVE taskToken',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'OPEN' },
      }),
    );
    expect(await repo.completeStep(record.caseId, submission())).toBeUndefined();
  });
});

describe('revertStep and the phone index', () => {
  it('reopens a completed step that still holds the token, back in the phone index, and completes again', async () => {
    const input = stepInput(record.caseId, { phoneHash: phone(), shortCode: 'A' });
    await repo.openStep(input, 'invite');
    expect((await repo.openStepsForPhone(phone())).map((s) => s.stepId)).toEqual([input.stepId]);

    await repo.completeStep(record.caseId, submission());
    expect(await repo.openStepsForPhone(phone())).toEqual([]);

    expect(await repo.revertStep(record.caseId, input.stepId, 'other-token')).toBe(false);
    expect(await repo.revertStep(record.caseId, input.stepId, input.taskToken)).toBe(true);
    expect(await repo.revertStep(record.caseId, input.stepId, input.taskToken)).toBe(false);
    const reopened = await repo.getStep(record.caseId, input.stepId);
    expect(reopened).toMatchObject({ status: 'OPEN', taskToken: input.taskToken, shortCode: 'A' });
    expect(reopened).not.toHaveProperty('dataEnc');
    expect(reopened).not.toHaveProperty('channel');
    expect(await repo.openStepsForPhone(phone())).toEqual([reopened]);

    expect(await repo.completeStep(record.caseId, submission({ dataEnc: 'v2.bags-3' }))).toMatchObject({
      taskToken: input.taskToken,
    });
    expect((await repo.getStep(record.caseId, input.stepId))?.dataEnc).toBe('v2.bags-3');
  });

  it('does not revert once a later segment handed the step a new token', async () => {
    const input = stepInput(record.caseId);
    await repo.openStep(input, 'invite');
    await repo.completeStep(record.caseId, submission());
    await repo.openStep({ ...input, taskToken: 'reminder-token' }, 'reminder');
    expect(await repo.revertStep(record.caseId, input.stepId, input.taskToken)).toBe(false);
    expect((await repo.getStep(record.caseId, input.stepId))?.status).toBe('DONE');
    expect(await repo.revertStep(record.caseId, 'unknown', input.taskToken)).toBe(false);
  });

  it('lists only the open citizen steps of that phone, across cases', async () => {
    const other = caseRecord({ citizen: { phoneHash: phone(), locale: 'en' } });
    await repo.createCase(other, `link-${other.caseId}`);
    const a = stepInput(record.caseId, { phoneHash: phone(), shortCode: 'A' });
    const b = stepInput(other.caseId, { phoneHash: phone(), shortCode: 'B' });
    const answered = stepInput(record.caseId, { stepId: 'answered', phoneHash: phone() });
    await Promise.all([a, b, answered].map((input) => repo.openStep(input, 'invite')));
    await repo.openStep(stepInput(record.caseId, { stepId: 'provider-step', actor: 'provider' }), 'invite');
    await repo.openStep(
      stepInput(record.caseId, { stepId: 'elsewhere', phoneHash: 'another-phone' }),
      'invite',
    );
    await repo.completeStep(record.caseId, submission({ stepId: 'answered' }));

    const open = await repo.openStepsForPhone(phone());
    expect(open.map((s) => `${s.caseId}/${s.shortCode}`).sort()).toEqual(
      [`${record.caseId}/A`, `${other.caseId}/B`].sort(),
    );
    expect(open.every((s) => s.status === 'OPEN' && !('gsi1pk' in s))).toBe(true);
  });
});
