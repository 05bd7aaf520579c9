import { describe, expect, it } from 'vitest';
import { type CallCounts, callLines } from '../../bench/call-counts';

const counts = (dynamo: Record<string, number>, invocations: Record<string, number>): CallCounts => ({
  dynamo: new Map(Object.entries(dynamo)),
  invocations: new Map(Object.entries(invocations)),
});

describe('calls per case between two counts', () => {
  it('divides what was added by the cases, leaves out what did not move, and puts the most invoked first', () => {
    const before = counts({ PutItem: 10, Query: 4, Scan: 2 }, { 'get-case': 1, 'open-step': 5 });
    const after = counts(
      { PutItem: 60, Query: 9, Scan: 2, GetItem: 20 },
      { 'get-case': 48, 'open-step': 45, 'submit-step': 20 },
    );
    expect(callLines(before, after, 10)).toEqual({
      dynamo: 'PutItem 5.0, Query 0.5, GetItem 2.0',
      invocations: 'get-case 4.7, open-step 4.0, submit-step 2.0',
    });
  });

  it('reads no cases as one, rather than dividing by zero', () => {
    expect(callLines(counts({}, {}), counts({ PutItem: 3 }, {}), 0).dynamo).toBe('PutItem 3.0');
  });
});
