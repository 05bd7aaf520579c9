import type { Field, Step } from './schema';

// What a submission may carry into the state machine. A step's answers stay sealed in the table; only
// the fields an outcome rule of the step reads (today its backTo's `when.field`) go through
// SendTaskSuccess into the execution, where the compiled Choice reads them (lib/constructs/workflow/
// back-to.ts). This module is the one declaration of those fields: submit and open-step send exactly
// these, the schema refuses a rule on a field that would carry free text (schema.ts), and a test checks
// that the compiled machines read no other (test/workflows/routing.test.ts). Runtime bundles import it,
// so it holds no zod.

/** Field types whose values say nothing a person wrote: safe in Step Functions' history. */
export const ROUTING_TYPES: readonly Field['type'][] = ['yesNo', 'choice', 'number'];

/** The ids of the fields the step's outcome rules read. */
export function routingFields(step: Pick<Step, 'backTo'>): string[] {
  return step.backTo ? [step.backTo.when.field] : [];
}

/** The answers reduced to what routing reads; an optional field left empty stays absent. */
export function routingData<V>(
  step: Pick<Step, 'backTo'>,
  data: Readonly<Record<string, V>>,
): Record<string, V> {
  const routed: Record<string, V> = {};
  for (const id of routingFields(step)) if (data[id] !== undefined) routed[id] = data[id] as V;
  return routed;
}
