import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import {
  CONTROL,
  dutchMobile,
  email,
  isReachable,
  multiLine,
  RULES,
  singleHeader,
  singleLine,
} from '../../../functions/domain/input-policy';

// The one input policy every edge builds on (API, console, citizen form, SMS, round files).

const firstMessage = (schema: z.ZodMiniType, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
};

describe('singleLine', () => {
  const name = singleLine(10, 1);

  it('trims and keeps ordinary text, accents and emoji with joiners', () => {
    expect(name.parse('  Zoë  ')).toBe('Zoë');
    expect(singleLine(20).parse('👩\u200d👩\u200d👧 ok')).toBe('👩\u200d👩\u200d👧 ok');
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['ESC', 'a\u001b[31mb'],
    ['CR LF', 'a\r\nb'],
    ['LF at the end', 'ab\n'],
    ['TAB', 'a\tb'],
    ['DEL', 'a\u007fb'],
    ['C1', 'a\u0085b'],
    ['line separator', 'a\u2028b'],
  ])('refuses a control character (%s)', (_, value) => {
    expect(firstMessage(name, value)).toBe(RULES.control);
  });

  it.each([
    ['right-to-left override', 'a\u202eb'],
    ['left-to-right embedding', 'a\u202ab'],
    ['isolate', 'a\u2066b\u2069'],
    ['right-to-left mark', 'a\u200fb'],
    ['Arabic letter mark', 'a\u061cb'],
    ['zero-width space', 'a\u200bb'],
    ['byte order mark', '\ufeffab'],
    ['lone high surrogate', 'a\ud800b'],
    ['lone low surrogate', 'a\udc00'],
  ])('refuses invisible formatting (%s)', (_, value) => {
    expect(firstMessage(name, value)).toBe(RULES.invisible);
  });

  it('takes characters outside the BMP (a surrogate pair) and emoji sequences', () => {
    expect(name.parse('😀 👩‍👧')).toBe('😀 👩‍👧');
  });

  it('holds the length limits after trimming, with their own words', () => {
    expect(firstMessage(name, '   ')).toBe(RULES.required);
    expect(firstMessage(name, 'x'.repeat(11))).toBe(RULES.tooLong(10));
    expect(name.parse(` ${'x'.repeat(10)} `)).toBe('x'.repeat(10));
    expect(firstMessage(singleLine(10, 1, 'Give a reason.'), '')).toBe('Give a reason.');
  });
});

describe('multiLine', () => {
  const text = multiLine(20);

  it('keeps line breaks (CR LF and CR become LF) and tabs', () => {
    expect(text.parse('a\r\nb\rc\n\td')).toBe('a\nb\nc\n\td');
  });

  it('refuses every other control character and invisible formatting', () => {
    expect(firstMessage(text, 'a\u001bb')).toBe(RULES.control);
    expect(firstMessage(text, 'a\u0000b')).toBe(RULES.control);
    expect(firstMessage(text, 'a\u202eb')).toBe(RULES.invisible);
  });
});

describe('control characters spelled out (no Unicode tables at load)', () => {
  const everyCodePoint = function* () {
    for (let point = 0; point <= 0x10ffff; point++)
      if (point < 0xd800 || point > 0xdfff) yield String.fromCodePoint(point);
  };

  const controlProperty = /[\p{Cc}\u2028\u2029]/u;

  it('CONTROL is exactly \\p{Cc} and the line and paragraph separators', () => {
    const differ = [...everyCodePoint()].filter((c) => CONTROL.test(c) !== controlProperty.test(c));
    expect(differ).toEqual([]);
  });

  it('multiLine refuses exactly the control characters but tab, LF and CR', () => {
    const text = multiLine(10);
    const property = /[^\P{Cc}\t\n\r]|[\u2028\u2029]/u;
    const controls = [...everyCodePoint()].filter((c) => controlProperty.test(c));
    expect(controls).toHaveLength(67);
    const differ = controls.filter((c) => text.safeParse(`a${c}b`).success === property.test(c));
    expect(differ).toEqual([]);
  });
});

describe('contact data', () => {
  it('takes Dutch mobile numbers in any usual notation, as E.164', () => {
    const notations = ['0612345678', '06-1234 5678', '+31 6 12345678', '0031612345678', '+31 (0)6 12345678'];
    for (const value of [...notations, '0031(0)612345678'])
      expect(dutchMobile.parse(value)).toBe('+31612345678');
  });

  it.each([
    ['a landline', '0201234567'],
    ['a Belgian mobile', '+32470123456'],
    ['too short', '061234567'],
    ['letters', '06-CALL-ME'],
  ])('refuses %s', (_, value) => {
    expect(firstMessage(dutchMobile, value)).toBe(RULES.phone);
  });

  it('refuses an RLO or a line break in a phone number before reading it', () => {
    expect(firstMessage(dutchMobile, '06\u202e12345678')).toBe(RULES.invisible);
    expect(firstMessage(dutchMobile, '0612345678\n')).toBe(RULES.control);
  });

  it('checks e-mail addresses and their length', () => {
    expect(email.parse('anna@example.nl')).toBe('anna@example.nl');
    expect(firstMessage(email, 'anna-at-example.nl')).toBe(RULES.email);
    expect(firstMessage(email, `${'a'.repeat(250)}@example.nl`)).toBe(RULES.email);
  });

  it('counts a citizen reachable by phone or e-mail, or when the link is handed over in person', () => {
    expect(isReachable({ phone: '+31612345678' })).toBe(true);
    expect(isReachable({ email: 'a@b.nl' })).toBe(true);
    expect(isReachable({})).toBe(false);
    expect(isReachable({ phone: '' }, undefined)).toBe(false);
    expect(isReachable({}, 'in-person')).toBe(true);
  });
});

describe('singleHeader', () => {
  it('refuses a header that came twice (joined with a comma) before its own rule', () => {
    const key = singleHeader(/^[a-z0-9]+$/, 'letters and digits');
    expect(key.parse('k1')).toBe('k1');
    expect(firstMessage(key, 'k1,k2')).toBe(RULES.repeatedHeader);
    expect(key.safeParse('k1,k2').error?.issues).toHaveLength(1);
    expect(firstMessage(key, 'k 1')).toBe('letters and digits');
  });
});
