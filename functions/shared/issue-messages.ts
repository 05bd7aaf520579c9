import type * as z from 'zod/mini';
import { RULES } from '../domain/input-policy';

// What a refused request is told per field. zod/mini carries no messages of its own: each rule without
// one reads "Invalid input", which tells a client nothing. The rules' own messages stand; the defaults
// say what the field takes instead.

const DEFAULT = 'Invalid input';

/** The value at `path` in what was sent, to tell a missing field from one of the wrong type. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function issueMessage(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.message !== DEFAULT) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined ? RULES.required : `Send a ${issue.expected}.`;
    case 'invalid_value':
      return `Use one of: ${issue.values.map(String).join(', ')}.`;
    case 'unrecognized_keys':
      return `Not part of this request: ${issue.keys.join(', ')}.`;
    default:
      return issue.message;
  }
}
