import { describe, expect, it } from 'vitest';
import { isGsm7, smsInfo } from '../../functions/domain/gsm7';
import { MAX_VALUES, renderMessage, smsKindsFor } from '../../functions/domain/messages';
import { services } from '../../workflows/catalog';

// Every SMS a citizen can receive, rendered with the longest realistic values, must be GSM-7 and fit in
// one segment: a second segment doubles the cost, UCS-2 more than halves the room.

const cases = services.flatMap((service) =>
  service.stages.flatMap((stage) =>
    stage.steps.flatMap((step) =>
      smsKindsFor(step).flatMap((kind) =>
        (['nl', 'en'] as const).map((locale) => ({ service, step, kind, locale })),
      ),
    ),
  ),
);

describe('SMS length', () => {
  it('covers every service, and the confirmation only of steps answerable by SMS', () => {
    expect(new Set(cases.map((c) => c.service.id)).size).toBe(services.length);
    expect(cases.some((c) => c.kind === 'confirmation')).toBe(true);
    expect(cases.every((c) => c.step.actor === 'citizen')).toBe(true);
    expect(cases.filter((c) => c.kind === 'confirmation').every((c) => c.step.sms)).toBe(true);
  });

  it.each(cases.map((c) => [`${c.service.id} ${c.step.id} ${c.kind} ${c.locale}`, c] as const))(
    '%s is GSM-7 and one segment',
    (name, { service, step, kind, locale }) => {
      const text = renderMessage(service, kind, locale, { ...MAX_VALUES, step: step.title[locale] }, step);
      const info = smsInfo(text);
      const label = `${name}: ${info.encoding}, ${info.length} of 160 (${JSON.stringify(text)})`;
      expect(isGsm7(text), label).toBe(true);
      expect(info.length, label).toBeLessThanOrEqual(160);
      expect(info.segments, label).toBe(1);
      expect(text).toContain(MAX_VALUES.link);
    },
  );
});
