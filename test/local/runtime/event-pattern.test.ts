import { describe, expect, it } from 'vitest';
import { checkPattern, matchesPattern } from '../../../local/runtime/event-pattern';

const event = {
  source: 'aws.states',
  'detail-type': 'Step Functions Execution Status Change',
  resources: ['arn:exec:1', 'arn:exec:2'],
  detail: { status: 'FAILED', stateMachineArn: 'arn:sm:a', redriveCount: 2, error: null, tags: ['x', 'y'] },
};

const match = (pattern: Record<string, unknown>) => {
  checkPattern(pattern);
  return matchesPattern(pattern, event);
};

describe('event patterns', () => {
  it('matches exact values, any of an array, nested fields, and every field of the pattern', () => {
    expect(match({ source: ['aws.states'], detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'] } })).toBe(
      true,
    );
    expect(match({ source: ['aws.states'], detail: { status: ['SUCCEEDED'] } })).toBe(false);
    expect(match({ source: ['aws.states'], detail: { stateMachineArn: ['arn:sm:b'] } })).toBe(false);
    expect(match({ detail: { missing: ['x'] } })).toBe(false);
    expect(match({ detail: { redriveCount: [2] } })).toBe(true);
    expect(match({ detail: { redriveCount: ['2'] } })).toBe(false);
    expect(match({ detail: { error: [null] } })).toBe(true);
  });

  it('matches when any element of an array value matches', () => {
    expect(match({ resources: ['arn:exec:2'] })).toBe(true);
    expect(match({ detail: { tags: ['y'] } })).toBe(true);
    expect(match({ detail: { tags: ['z'] } })).toBe(false);
  });

  it('knows prefix, suffix, equals-ignore-case, wildcard and anything-but', () => {
    expect(match({ source: [{ prefix: 'aws.' }] })).toBe(true);
    expect(match({ source: [{ prefix: 'AWS.' }] })).toBe(false);
    expect(match({ source: [{ prefix: { 'equals-ignore-case': 'AWS.' } }] })).toBe(true);
    expect(match({ source: [{ suffix: '.states' }] })).toBe(true);
    expect(
      match({ 'detail-type': [{ 'equals-ignore-case': 'step functions execution status change' }] }),
    ).toBe(true);
    expect(match({ 'detail-type': [{ wildcard: 'Step*Change' }] })).toBe(true);
    expect(match({ 'detail-type': [{ wildcard: 'Step*Start' }] })).toBe(false);
    expect(match({ detail: { status: [{ 'anything-but': 'SUCCEEDED' }] } })).toBe(true);
    expect(match({ detail: { status: [{ 'anything-but': ['FAILED', 'ABORTED'] }] } })).toBe(false);
    expect(match({ detail: { status: [{ 'anything-but': { prefix: 'FAIL' } }] } })).toBe(false);
    expect(match({ detail: { missing: [{ 'anything-but': 'x' }] } })).toBe(false);
  });

  it('knows numeric ranges, exists and $or', () => {
    expect(match({ detail: { redriveCount: [{ numeric: ['>', 1, '<=', 2] }] } })).toBe(true);
    expect(match({ detail: { redriveCount: [{ numeric: ['>', 2] }] } })).toBe(false);
    expect(match({ detail: { status: [{ exists: true }], missing: [{ exists: false }] } })).toBe(true);
    expect(match({ detail: { status: [{ exists: false }] } })).toBe(false);
    expect(match({ $or: [{ source: ['other'] }, { detail: { status: ['FAILED'] } }] })).toBe(true);
    expect(match({ $or: [{ source: ['other'] }, { detail: { status: ['RUNNING'] } }] })).toBe(false);
  });

  it('refuses an operator it does not emulate instead of never matching', () => {
    expect(() => checkPattern({ detail: { ip: [{ cidr: '10.0.0.0/24' }] } })).toThrow(/cidr.*not emulated/);
    expect(() => checkPattern({ detail: 'FAILED' })).toThrow(/must be an object/);
  });
});
