import { describe, expect, it } from 'vitest';
import { findService } from '../../../../workflows/catalog';
import { allStates, compileService, stateOf } from './compile';

// The compiled re-time loop of a step that takes proposals (waste collection's `present`): every
// definition segment also catches Step.Retimed into one re-time task; its answer feeds a Choice and
// one re-armed callback task whose timeout comes from the path; that task's timeout and Step.Retimed
// go back to the re-time task. A step without proposals has none of it, and the happy path's states
// and transitions are the definition's segments as before.

const service = findService('waste-collection');
if (!service) throw new Error('waste-collection is missing');
const { asl } = compileService(service);

describe('the re-time loop in the state machine', () => {
  it('catches Step.Retimed on every segment of a step that takes proposals', () => {
    for (const segment of ['invite', 'reminder 1', 'escalation']) {
      const task = stateOf(asl, `Step present ${segment}`);
      expect(task.Catch, segment).toEqual([
        expect.objectContaining({ ErrorEquals: ['States.Timeout'], ResultPath: null }),
        { ErrorEquals: ['Step.Retimed'], Next: 'Step present retime', ResultPath: null },
      ]);
      expect(task.TimeoutSeconds, segment).toBeGreaterThan(0);
    }
  });

  it('re-times with the engine clock, then waits one re-armed segment with TimeoutSecondsPath', () => {
    const retime = stateOf(asl, 'Step present retime');
    expect(retime.ResultPath).toBe('$.retime');
    // Invoked directly (payloadResponseOnly): the parameters are the payload.
    expect(retime.Parameters).toMatchObject({
      'caseId.$': '$.caseId',
      stepId: 'present',
      'visit.$': '$.entry.visit',
      'now.$': '$$.State.EnteredTime',
    });
    expect(retime.Next).toBe('Step present expired after retime?');
    const choice = stateOf(asl, 'Step present expired after retime?');
    expect(choice.Choices).toEqual([
      { Variable: '$.retime.expired', BooleanEquals: true, Next: 'Step present expired' },
    ]);
    expect(choice.Default).toBe('Step present rearmed');
    const rearmed = stateOf(asl, 'Step present rearmed');
    expect(rearmed.Resource).toContain('waitForTaskToken');
    expect(rearmed.TimeoutSecondsPath).toBe('$.retime.seconds');
    expect(rearmed.TimeoutSeconds).toBeUndefined();
    expect(rearmed.Parameters?.Payload).toMatchObject({
      'notice.$': '$.retime.notice',
      'shiftSeconds.$': '$.retime.shiftSeconds',
      'taskToken.$': '$$.Task.Token',
    });
    expect(rearmed.Catch).toEqual([
      { ErrorEquals: ['States.Timeout', 'Step.Retimed'], Next: 'Step present retime', ResultPath: null },
    ]);
  });

  it("hands the stage entry time to the stage's first step only, re-armed or not", () => {
    const payloadOf = (name: string) => stateOf(asl, name).Parameters?.Payload as Record<string, unknown>;
    expect(payloadOf('Step present rearmed')['stageEnteredAt.$']).toBe('$.entry.at');
    expect(payloadOf('Step collect rearmed')).toMatchObject({
      stepId: 'collect',
      'notice.$': '$.retime.notice',
    });
    expect(payloadOf('Step collect rearmed')).not.toHaveProperty('stageEnteredAt.$');
  });

  it('leaves steps without proposals as they were', () => {
    const names = allStates(asl).map(([name]) => name);
    expect(names.filter((n) => n.startsWith('Step household-feedback'))).toEqual(
      expect.not.arrayContaining([expect.stringMatching(/retime|rearmed/)]),
    );
    const feedback = stateOf(asl, 'Step household-feedback invite');
    expect(feedback.Catch).toHaveLength(1);
    // The definition's own segments say they run on the definition's schedule.
    expect(stateOf(asl, 'Step present invite').Parameters?.Payload).toMatchObject({ shiftSeconds: 0 });
  });
});
