import type { Service, Step } from '../../workflows/schema';
import { dateFormat } from '../shared/date-format';
import type { Locale } from './model';

// Fills the SMS templates of a service. Plain string work, so the notifier, the SMS webhook and the
// synth-time checks share one implementation.

export type MessageKind = keyof Service['messages'];
export const MESSAGE_KINDS: readonly MessageKind[] = ['invitation', 'reminder', 'escalation', 'confirmation'];

export const PLACEHOLDERS = ['org', 'service', 'step', 'due', 'link', 'code'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type MessageValues = Partial<Record<Placeholder, string>>;

/**
 * The longest values a real message carries; the SMS length tests render every template with these.
 * org: one of the longest Dutch municipality names. link: PUBLIC_URL + '/c/' + a link token, padded to
 * 70 characters. code: the two-character short code. due: dd-mm-yyyy.
 */
export const MAX_VALUES = {
  org: 'Gemeente Alphen aan den Rijn',
  link: `https://mijn.gemeentenaam.nl/c/${'x'.repeat(22)}`.padEnd(70, 'x'),
  code: 'Z9',
  due: '31-12-2026',
} as const satisfies MessageValues;

const PLACEHOLDER = /\{([^{}]*)\}/g;

export class MessageTemplateError extends Error {
  override name = 'MessageTemplateError';
}

/** The placeholder names a template uses, in order of appearance. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

/**
 * Renders a message of the service. `{service}` defaults to the service title in that locale; every other
 * placeholder the template uses must be given, and a placeholder the language does not know throws, so a
 * typo in a definition never reaches a phone as literal braces.
 */
export function renderMessage(
  service: Pick<Service, 'id' | 'title' | 'messages'>,
  kind: MessageKind,
  locale: Locale,
  values: MessageValues,
  /** The step the text is about: its own template of this kind, if it has one, goes first. */
  step?: Pick<Step, 'messages'>,
): string {
  const template = step?.messages?.[kind]?.[locale] ?? service.messages[kind][locale];
  const filled: MessageValues = { service: service.title[locale], ...values };
  return template.replace(PLACEHOLDER, (_, name: string) => {
    if (!isPlaceholder(name))
      throw new MessageTemplateError(`${service.id} ${kind} (${locale}): unknown placeholder {${name}}`);
    const value = filled[name];
    if (value === undefined)
      throw new MessageTemplateError(`${service.id} ${kind} (${locale}): no value for placeholder {${name}}`);
    return value;
  });
}

/** The messages a step's actor can receive by SMS: only citizens get SMS, a confirmation only after an SMS reply. */
export function smsKindsFor(step: Pick<Step, 'actor' | 'sms'>): MessageKind[] {
  if (step.actor !== 'citizen') return [];
  const kinds: MessageKind[] = ['invitation', 'reminder', 'escalation'];
  if (step.sms) kinds.push('confirmation');
  return kinds;
}

/** A calendar day (YYYY-MM-DD, already in Dutch time) as every text writes a date: dd-mm-yyyy. */
export const formatDay = (day: string): string => day.split('-').reverse().join('-');

/** dd-mm-yyyy in the Netherlands' time zone, the form `{due}` takes in every message. */
export function formatDue(iso: string): string {
  const parts = dateFormat('nl-NL', {
    timeZone: 'Europe/Amsterdam',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')}-${part('month')}-${part('year')}`;
}
