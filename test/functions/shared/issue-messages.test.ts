import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { RULES } from '../../../functions/domain/input-policy';
import { ValidationError } from '../../../functions/shared/errors';
import { parseEdge } from '../../../functions/shared/http';

const schema = z.object({
  path: z.object({}),
  query: z.object({ status: z.optional(z.enum(['ACTIVE', 'COMPLETED'])) }),
  headers: z.object({}),
  body: z.strictObject({
    serviceId: z.string(),
    citizen: z.strictObject({ locale: z.optional(z.enum(['nl', 'en'])), age: z.optional(z.number()) }),
    reference: z.string().check(z.minLength(1, 'Give a reference.')),
  }),
  claims: z.object({}),
});

const fieldsOf = (body: unknown, query: Record<string, string> = {}) => {
  try {
    parseEdge(schema, { path: {}, query, headers: {}, body, claims: {} });
  } catch (error) {
    if (error instanceof ValidationError) return error.details?.fields;
  }
  throw new Error('expected a refusal');
};

describe("the edge's messages per field", () => {
  it('says what a field takes where the rule has no message of its own', () => {
    const fields = fieldsOf(
      { citizen: { locale: 'de', age: 'old', shoe: 42 }, reference: '' },
      { status: 'BOGUS' },
    );
    expect(fields).toEqual({
      'query.status': 'Use one of: ACTIVE, COMPLETED.',
      'body.serviceId': RULES.required,
      'body.citizen.locale': 'Use one of: nl, en.',
      'body.citizen.age': 'Send a number.',
      'body.citizen': 'Not part of this request: shoe.',
      // A rule's own message stands.
      'body.reference': 'Give a reference.',
    });
    expect(JSON.stringify(fields)).not.toContain('Invalid input');
  });
});
