import * as z from 'zod/mini';
import type { Field } from '../../workflows/schema';
import { ValidationError } from '../shared/errors';
import { multiLine, RULES, singleLine } from './input-policy';
import type { FormData } from './model';

// A step's form becomes a zod/mini schema. HTML forms send every value as a string, so
// booleans and numbers also accept their textual form; the stored data is always typed.

const YES = new Set(['yes', 'ja', 'true', 'y', 'j']);
const NO = new Set(['no', 'nee', 'false', 'n']);

export const MESSAGES = {
  required: 'This field is required.',
  text: 'Enter text.',
  maxLength: RULES.tooLong,
  choice: (values: string[]) => `Choose one of: ${values.join(', ')}.`,
  yesNo: 'Answer yes or no.',
  date: 'Enter a real date as YYYY-MM-DD.',
  number: 'Enter a number.',
  integer: 'Enter a whole number.',
  min: (n: number) => `Enter at least ${n}.`,
  max: (n: number) => `Enter at most ${n}.`,
  unknown: 'This field is not part of the form.',
} as const;

function isRealDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function yesNoSchema() {
  return z.pipe(
    z.union([z.boolean(), z.string()], { error: MESSAGES.yesNo }),
    z.transform((v, ctx) => {
      if (typeof v === 'boolean') return v;
      const s = v.trim().toLowerCase();
      if (YES.has(s)) return true;
      if (NO.has(s)) return false;
      ctx.issues.push({ code: 'custom', message: MESSAGES.yesNo, input: v });
      return z.NEVER;
    }),
  );
}

function numberSchema(field: Extract<Field, { type: 'number' }>) {
  const checks = [];
  if (field.integer) checks.push(z.refine<number>(Number.isInteger, { error: MESSAGES.integer }));
  if (field.min !== undefined) checks.push(z.gte(field.min, { error: MESSAGES.min(field.min) }));
  if (field.max !== undefined) checks.push(z.lte(field.max, { error: MESSAGES.max(field.max) }));
  const parsed = z.pipe(
    z.union([z.number(), z.string()], { error: MESSAGES.number }),
    z.transform((v, ctx) => {
      const n = typeof v === 'number' ? v : Number(v.trim().replace(',', '.'));
      if (typeof v === 'string' && !/^-?\d+([.,]\d+)?$/.test(v.trim())) {
        ctx.issues.push({ code: 'custom', message: MESSAGES.number, input: v });
        return z.NEVER;
      }
      return n;
    }),
  );
  return z.pipe(parsed, z.number({ error: MESSAGES.number }).check(...checks));
}

export function fieldSchema(field: Field): z.ZodMiniType<unknown> {
  switch (field.type) {
    // The input policy's text rules, as at every edge: a text field is one line, a longText keeps lines.
    case 'text':
      return z.pipe(z.string({ error: MESSAGES.text }), singleLine(field.maxLength));
    case 'longText':
      return z.pipe(z.string({ error: MESSAGES.text }), multiLine(field.maxLength));
    case 'choice': {
      const values = field.options.map((o) => o.value);
      return z.enum(values as [string, ...string[]], { error: MESSAGES.choice(values) });
    }
    case 'yesNo':
      return yesNoSchema();
    case 'date':
      return z.string({ error: MESSAGES.date }).check(z.refine(isRealDate, { error: MESSAGES.date }));
    case 'number':
      return numberSchema(field);
  }
}

/**
 * Schemas built per form. A form is a frozen array of the catalogue, so the schema (immutable, like
 * every zod schema) is built on its first use in a container and reused: a round's batch validates
 * the same context form for every row. Building the waste-collection context form took ~100 µs,
 * validating a row with it ~4 µs.
 */
const schemas = new WeakMap<readonly Field[], ReturnType<typeof buildFormSchema>>();

/** The strict object schema of a form: unknown fields are refused, optional fields may be left out. */
export function formSchema(fields: readonly Field[]) {
  let schema = schemas.get(fields);
  if (!schema) {
    schema = buildFormSchema(fields);
    schemas.set(fields, schema);
  }
  return schema;
}

function buildFormSchema(fields: readonly Field[]) {
  const shape: Record<string, z.ZodMiniType<unknown>> = {};
  for (const field of fields)
    shape[field.id] = field.required ? fieldSchema(field) : z.optional(fieldSchema(field));
  return z.strictObject(shape);
}

/** Blank strings are what an HTML form sends for an empty field: treat them as absent. */
function withoutBlanks(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).filter(([, v]) => !(typeof v === 'string' && v.trim() === '')),
  );
}

/** Validates submitted data against a form; throws a ValidationError naming each failing field. */
export function validateForm(fields: readonly Field[], data: unknown): FormData {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ValidationError('The data must be an object with the form fields.', {
      fields: { data: 'Send an object with the form fields.' },
    });
  }
  const present = withoutBlanks(data as Record<string, unknown>);
  const result = formSchema(fields).safeParse(present);
  if (result.success) return result.data as FormData;
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors[key] ??= MESSAGES.unknown;
      continue;
    }
    const key = String(issue.path[0] ?? 'data');
    errors[key] ??= key in present ? issue.message : MESSAGES.required;
  }
  throw new ValidationError(`Check these fields: ${Object.keys(errors).join(', ')}`, { fields: errors });
}
