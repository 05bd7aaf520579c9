import type { Field, Service, ServiceInput, Stage, Step } from './schema';

// The schema's defaults and trimming, applied without zod, so runtime bundles get the parsed `Service`
// shape with no classic zod in them. A test and loadServices() check that the result deep-equals
// serviceSchema.parse() for every service, so the two cannot drift apart unnoticed.

type Bilingual = { nl: string; en: string };
type InputStep = ServiceInput['stages'][number]['steps'][number];
type InputField = InputStep['form']['fields'][number];

const text = (b: Bilingual): Bilingual => ({ nl: b.nl.trim(), en: b.en.trim() });

export function normalizeService(input: ServiceInput): Service {
  return {
    id: input.id,
    title: text(input.title),
    summary: text(input.summary),
    providerKind: input.providerKind,
    processingActivity: {
      id: input.processingActivity.id,
      purpose: text(input.processingActivity.purpose),
    },
    context: (input.context ?? []).map(normalizeField),
    stages: input.stages.map(
      (stage): Stage => ({ id: stage.id, title: text(stage.title), steps: stage.steps.map(normalizeStep) }),
    ),
    messages: {
      invitation: text(input.messages.invitation),
      reminder: text(input.messages.reminder),
      escalation: text(input.messages.escalation),
      confirmation: text(input.messages.confirmation),
    },
    ...(input.reopen && { reopen: { windowDays: input.reopen.windowDays, stage: input.reopen.stage } }),
  };
}

function normalizeStep(step: InputStep): Step {
  const { sms, backTo, proposals, ...rest } = step;
  return {
    ...rest,
    title: text(step.title),
    instructions: text(step.instructions),
    form: { fields: step.form.fields.map(normalizeField) },
    reminders: [...(step.reminders ?? [])],
    ...(sms && { sms: { ...sms } }),
    ...(backTo && { backTo: { stage: backTo.stage, when: { ...backTo.when } } }),
    ...(proposals && {
      proposals: {
        ...(proposals.maxShift !== undefined && { maxShift: proposals.maxShift }),
        perSide: proposals.perSide ?? 2,
      },
    }),
  };
}

function normalizeField(field: InputField): Field {
  const base = {
    ...field,
    label: text(field.label),
    ...(field.help && { help: text(field.help) }),
    required: field.required ?? true,
  };
  switch (base.type) {
    case 'text':
      return { ...base, maxLength: base.maxLength ?? 200 };
    case 'longText':
      return { ...base, maxLength: base.maxLength ?? 2000 };
    case 'choice':
      return { ...base, options: base.options.map((o) => ({ value: o.value, label: text(o.label) })) };
    case 'number':
      return { ...base, integer: base.integer ?? false };
    default:
      return base;
  }
}

/** Named for the brief's wording; normalizeService is the descriptive name. */
export const normalize = normalizeService;
