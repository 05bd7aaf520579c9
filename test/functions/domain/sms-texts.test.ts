import { describe, expect, it } from 'vitest';
import { isGsm7, smsSegments } from '../../../functions/domain/gsm7';
import { fitList, gsmSafe, hintFor, say, TEXTS } from '../../../functions/domain/sms-texts';
import { services } from '../../../workflows/catalog';
import type { Field } from '../../../workflows/schema';

const list = 'A7 Afval aanbieden; B3 Uw ervaring';
const field = (f: Partial<Field> & Pick<Field, 'type'>) =>
  ({ id: 'f', required: true, label: { nl: 'x', en: 'x' }, ...f }) as Field;

describe('reply texts', () => {
  it.each(['nl', 'en'] as const)('every %s reply is one GSM-7 segment', (locale) => {
    const t = TEXTS[locale];
    const replies = [
      t.optedOut,
      t.optedIn,
      t.none,
      t.duplicate,
      t.unusable,
      t.notOpen,
      t.closed,
      t.failed,
      t.retry,
      t.webOnly,
      t.codeWebOnly('Z9'),
      t.helpNone,
      t.help(list),
      t.needCode(list),
      t.unknownCode('Z9', list),
      t.unclear(t.yesNo),
      t.unclear(t.number(-1000, 1000)),
      t.invalid(t.text(4000)),
      t.unclear(t.date),
      t.unclear(t.choice('1 Goed, 2 Wisselend, 3 Zorgen')),
    ];
    for (const reply of replies) {
      expect(isGsm7(reply), reply).toBe(true);
      expect(smsSegments(reply), reply).toBe(1);
    }
  });

  it.each(['nl', 'en'] as const)('the %s reopening text is one GSM-7 segment for every service', (locale) => {
    const link = `https://api.gemeente-voorbeeld.nl/c/${'x'.repeat(43)}`;
    for (const service of services) {
      const text = TEXTS[locale].reopened(gsmSafe(service.title[locale]), link);
      expect(isGsm7(text), text).toBe(true);
      expect(smsSegments(text), text).toBe(1);
    }
  });

  it('says the replies that know no case in both languages, in one segment', () => {
    const picks: ((t: (typeof TEXTS)['nl']) => string)[] = [
      (t) => t.duplicate,
      (t) => t.unusable,
      // A number with no open step: STOP, START, HELP and an answer to nothing.
      (t) => t.optedOut,
      (t) => t.optedIn,
      (t) => t.helpNone,
      (t) => t.none,
    ];
    for (const pick of picks) {
      const reply = say(undefined, pick);
      expect(isGsm7(reply), reply).toBe(true);
      expect(smsSegments(reply), reply).toBe(1);
    }
  });

  it('falls back to Dutch then English without a case locale', () => {
    expect(say(undefined, (t) => t.optedIn)).toBe(`${TEXTS.nl.optedIn} / ${TEXTS.en.optedIn}`);
    expect(say('en', (t) => t.optedIn)).toBe(TEXTS.en.optedIn);
  });

  it('uses the first listed code in the example', () => {
    expect(TEXTS.nl.help(list)).toContain('bv. A7 ja.');
    expect(TEXTS.en.needCode(list)).toContain('e.g. A7 yes.');
  });
});

describe('hintFor', () => {
  it('says what each field type expects', () => {
    expect(hintFor(field({ type: 'yesNo' }), 'nl')).toBe('Antwoord met JA of NEE.');
    expect(hintFor(field({ type: 'number', min: 1, max: 5, integer: true }), 'en')).toBe(
      'Reply with a number from 1 to 5.',
    );
    expect(hintFor(field({ type: 'date' }), 'en')).toBe('Reply with a date, e.g. 31-12-2026.');
    const choice = field({
      type: 'choice',
      options: [
        { value: 'a', label: { nl: 'Goed', en: 'Good' } },
        { value: 'b', label: { nl: 'Zorgen “groot”', en: 'Worried' } },
      ],
    });
    expect(hintFor(choice, 'nl')).toBe('Antwoord met een nummer: 1 Goed, 2 Zorgen "groot".');
  });
});

describe('gsmSafe and fitList', () => {
  it('replaces characters outside GSM-7 but keeps those inside', () => {
    expect(gsmSafe('Ervaring ’s ochtends – café, Noël…')).toBe("Ervaring 's ochtends - café, Noel...");
    expect(isGsm7(gsmSafe('Zorg 🙂'))).toBe(true);
  });

  it('shortens titles, then drops them, to stay in one segment', () => {
    const long = 'Een heel lange titel van een stap die niet in een sms past';
    const items = ['A1', 'B2', 'C3'].map((code) => ({ code, title: long }));
    const text = fitList(items, TEXTS.nl.help);
    expect(smsSegments(text)).toBe(1);
    expect(text).toContain('A1 ');
    expect(text).toContain('C3');
    const many = Array.from({ length: 12 }, (_, i) => ({ code: `K${i % 10}`, title: long }));
    const codesOnly = fitList(many, TEXTS.nl.help);
    expect(codesOnly).not.toContain('Een heel');
    expect(codesOnly).toContain('K0, K1');
  });
});
