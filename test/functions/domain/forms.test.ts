import { describe, expect, it } from 'vitest';
import { formSchema, validateForm } from '../../../functions/domain/forms';
import { ValidationError } from '../../../functions/shared/errors';
import type { Field } from '../../../workflows/schema';

const b = (s: string) => ({ nl: s, en: s });
const fields: Field[] = [
  { id: 'name', type: 'text', label: b('Name'), required: true, maxLength: 5 },
  { id: 'story', type: 'longText', label: b('Story'), required: false, maxLength: 10 },
  {
    id: 'colour',
    type: 'choice',
    label: b('Colour'),
    required: false,
    options: [
      { value: 'red', label: b('Red') },
      { value: 'blue', label: b('Blue') },
    ],
  },
  { id: 'agree', type: 'yesNo', label: b('Agree'), required: false },
  { id: 'day', type: 'date', label: b('Day'), required: false },
  { id: 'count', type: 'number', label: b('Count'), required: false, min: 0, max: 10, integer: true },
  { id: 'weight', type: 'number', label: b('Weight'), required: false, integer: false },
];

function errorsOf(data: unknown): Record<string, string> {
  try {
    validateForm(fields, data);
  } catch (e) {
    if (e instanceof ValidationError) return e.details?.fields as Record<string, string>;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('validateForm', () => {
  it('returns typed data, coercing HTML strings and trimming text', () => {
    expect(
      validateForm(fields, {
        name: ' Ann ',
        colour: 'blue',
        agree: 'nee',
        day: '2028-02-29',
        count: '7',
        weight: '2,5',
      }),
    ).toEqual({ name: 'Ann', colour: 'blue', agree: false, day: '2028-02-29', count: 7, weight: 2.5 });
    expect(validateForm(fields, { name: 'Bo', agree: true, count: 3 })).toEqual({
      name: 'Bo',
      agree: true,
      count: 3,
    });
    expect(validateForm(fields, { name: 'Bo', agree: 'yes' })).toEqual({ name: 'Bo', agree: true });
    expect(validateForm(fields, { name: 'Bo', agree: 'Ja' })).toEqual({ name: 'Bo', agree: true });
  });

  it('treats blank optional fields as absent and blank required fields as missing', () => {
    expect(validateForm(fields, { name: 'Bo', story: '', count: '  ' })).toEqual({ name: 'Bo' });
    expect(errorsOf({ name: '   ' })).toEqual({ name: 'This field is required.' });
    expect(errorsOf({})).toEqual({ name: 'This field is required.' });
  });

  it('names every failing field with its rule', () => {
    expect(
      errorsOf({
        name: 'Annabel',
        story: 'x'.repeat(11),
        colour: 'green',
        agree: 'perhaps',
        day: '2026-02-30',
        count: '11',
        weight: 'heavy',
        extra: 'x',
      }),
    ).toEqual({
      name: 'Use at most 5 characters.',
      story: 'Use at most 10 characters.',
      colour: 'Choose one of: red, blue.',
      agree: 'Answer yes or no.',
      day: 'Enter a real date as YYYY-MM-DD.',
      count: 'Enter at most 10.',
      weight: 'Enter a number.',
      extra: 'This field is not part of the form.',
    });
  });

  it('checks integers, minimums and types of JSON values', () => {
    expect(errorsOf({ name: 'Bo', count: '2.5' })).toEqual({ count: 'Enter a whole number.' });
    expect(errorsOf({ name: 'Bo', count: -1 })).toEqual({ count: 'Enter at least 0.' });
    expect(errorsOf({ name: 42, agree: 3, day: '2026-1-5' })).toEqual({
      name: 'Enter text.',
      agree: 'Answer yes or no.',
      day: 'Enter a real date as YYYY-MM-DD.',
    });
  });

  it("builds a form's schema once per form and carries nothing from one answer to the next", () => {
    expect(formSchema(fields)).toBe(formSchema(fields));
    // Another form (even with the same fields) has a schema of its own.
    expect(formSchema([...fields])).not.toBe(formSchema(fields));
    expect(Object.keys(errorsOf({ name: 'far too long' }))).toEqual(['name']);
    expect(validateForm(fields, { name: 'Ann' })).toEqual({ name: 'Ann' });
    expect(Object.keys(errorsOf({}))).toEqual(['name']);
  });

  it('refuses data that is not an object', () => {
    expect(errorsOf(['a'])).toEqual({ data: 'Send an object with the form fields.' });
    expect(errorsOf(null)).toEqual({ data: 'Send an object with the form fields.' });
  });
});
