import { describe, expect, it } from 'vitest';
import { isGsm7 } from '../../../functions/domain/gsm7';
import {
  formatDue,
  MAX_VALUES,
  MessageTemplateError,
  placeholdersOf,
  renderMessage,
  smsKindsFor,
} from '../../../functions/domain/messages';

const both = (text: string) => ({ nl: text, en: text });

function service(template: string) {
  return {
    id: 'test-service',
    title: { nl: 'Proefdienst', en: 'Trial service' },
    messages: {
      invitation: { nl: template, en: `EN ${template}` },
      reminder: both('{step} {due}'),
      escalation: both('{step}'),
      confirmation: both('ok'),
    },
  };
}

const values = {
  org: 'Gemeente Leiden',
  step: 'Afval aangeboden?',
  due: '02-03-2026',
  link: 'https://x.nl/c/T',
  code: 'A7',
};

describe('renderMessage', () => {
  it('fills every placeholder, in the requested locale', () => {
    const s = service('{org}|{service}|{step}|{due}|{link}|{code}');
    expect(renderMessage(s, 'invitation', 'nl', values)).toBe(
      'Gemeente Leiden|Proefdienst|Afval aangeboden?|02-03-2026|https://x.nl/c/T|A7',
    );
    expect(renderMessage(s, 'invitation', 'en', values)).toBe(
      'EN Gemeente Leiden|Trial service|Afval aangeboden?|02-03-2026|https://x.nl/c/T|A7',
    );
  });

  it("takes the step's own template of the kind first, the service's for the kinds it has none of", () => {
    const s = service('{org} {link}');
    const step = {
      messages: { invitation: { nl: 'Stap: {code} JA of NEE {link}', en: 'Step: {code} {link}' } },
    };
    expect(renderMessage(s, 'invitation', 'nl', values, step)).toBe('Stap: A7 JA of NEE https://x.nl/c/T');
    expect(renderMessage(s, 'invitation', 'en', values, step)).toBe('Step: A7 https://x.nl/c/T');
    expect(renderMessage(s, 'reminder', 'nl', values, step)).toBe('Afval aangeboden? 02-03-2026');
    expect(renderMessage(s, 'invitation', 'nl', values, {})).toBe('Gemeente Leiden https://x.nl/c/T');
  });

  it('fills a repeated placeholder everywhere, lets {service} be overridden, and does not expand values', () => {
    const s = service('{code} {code} {service}');
    expect(renderMessage(s, 'invitation', 'nl', { code: 'B2' })).toBe('B2 B2 Proefdienst');
    expect(renderMessage(s, 'invitation', 'nl', { code: '{org}', service: 'Anders' })).toBe(
      '{org} {org} Anders',
    );
  });

  it('throws for a placeholder the language does not know', () => {
    const s = service('{org}: {stap} {link}');
    expect(() => renderMessage(s, 'invitation', 'nl', values)).toThrow(MessageTemplateError);
    expect(() => renderMessage(s, 'invitation', 'en', values)).toThrow(
      'test-service invitation (en): unknown placeholder {stap}',
    );
  });

  it('throws when a used placeholder has no value, instead of sending braces to a phone', () => {
    const s = service('{org}');
    expect(() => renderMessage(s, 'reminder', 'nl', { step: 'x' })).toThrow(
      'test-service reminder (nl): no value for placeholder {due}',
    );
    expect(renderMessage(s, 'escalation', 'nl', { step: 'x' })).toBe('x');
  });
});

describe('placeholdersOf', () => {
  it('lists the names in braces in order, including unknown and empty ones', () => {
    expect(placeholdersOf('{org}: {step} {} {Link}')).toEqual(['org', 'step', '', 'Link']);
    expect(placeholdersOf('geen')).toEqual([]);
  });
});

describe('MAX_VALUES', () => {
  it('are the realistic longest values, all GSM-7', () => {
    expect(MAX_VALUES.org).toHaveLength(28);
    expect(MAX_VALUES.link).toHaveLength(70);
    expect(MAX_VALUES.link).toMatch(/^https:\/\/[a-z.]+\/c\/[\w-]{22,}$/);
    expect(MAX_VALUES.code).toMatch(/^[A-Z0-9]{2}$/);
    expect(MAX_VALUES.due).toMatch(/^\d{2}-\d{2}-\d{4}$/);
    for (const value of Object.values(MAX_VALUES)) expect(isGsm7(value)).toBe(true);
  });
});

describe('smsKindsFor', () => {
  it('sends citizens invitations, reminders and escalations, and a confirmation only for SMS-answerable steps', () => {
    expect(smsKindsFor({ actor: 'provider' })).toEqual([]);
    expect(smsKindsFor({ actor: 'citizen' })).toEqual(['invitation', 'reminder', 'escalation']);
    expect(smsKindsFor({ actor: 'citizen', sms: { field: 'ok' } })).toEqual([
      'invitation',
      'reminder',
      'escalation',
      'confirmation',
    ]);
  });
});

describe('formatDue', () => {
  it('gives dd-mm-yyyy in Dutch local time, in winter and in summer', () => {
    expect(formatDue('2026-12-31T22:30:00Z')).toBe('31-12-2026');
    expect(formatDue('2026-12-31T23:30:00Z')).toBe('01-01-2027');
    expect(formatDue('2026-06-30T21:30:00Z')).toBe('30-06-2026');
    expect(formatDue('2026-06-30T22:30:00Z')).toBe('01-07-2026');
  });
});
