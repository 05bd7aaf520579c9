import { describe, expect, it } from 'vitest';
import { laneOf, TaskLanes } from '../../../local/sfn/integrations/task-lanes';

describe('TaskLanes', () => {
  it('keeps each lane first in, first out, and gives the lanes their turns', () => {
    const lanes = new TaskLanes<string>();
    for (const item of ['a1', 'a2', 'a3']) lanes.push('a', item);
    lanes.push('b', 'b1');
    lanes.push('a', 'a4');
    lanes.push('b', 'b2');
    expect(lanes.length).toBe(6);
    const taken = Array.from({ length: 6 }, () => lanes.shift());
    expect(taken).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'a4']);
    expect(lanes.shift()).toBeUndefined();
    expect(lanes.length).toBe(0);
  });

  it('a lane that emptied joins the back of the line again', () => {
    const lanes = new TaskLanes<string>();
    lanes.push('a', 'a1');
    lanes.push('b', 'b1');
    lanes.push('b', 'b2');
    expect(lanes.shift()).toBe('a1');
    lanes.push('a', 'a2');
    expect([lanes.shift(), lanes.shift(), lanes.shift()]).toEqual(['b1', 'a2', 'b2']);
  });
});

describe('laneOf', () => {
  const fn = 'arn:aws:lambda:eu-west-1:000000000000:function:open-step';
  it('names the function a Lambda integration invokes, whatever its version or alias', () => {
    const invoke = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
    expect(laneOf(invoke, { FunctionName: fn })).toBe(laneOf(invoke, { FunctionName: `${fn}:$LATEST` }));
    expect(laneOf(invoke, { FunctionName: fn })).not.toBe(
      laneOf(invoke, { FunctionName: fn.replace('open-step', 'start-cases') }),
    );
  });
  it('is the resource itself for a function ARN and for other integrations', () => {
    expect(laneOf(fn, {})).toBe(fn);
    expect(laneOf('arn:aws:states:::dynamodb:updateItem', { TableName: 't' })).toBe(
      'arn:aws:states:::dynamodb:updateItem',
    );
  });
});
