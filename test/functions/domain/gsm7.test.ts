import { describe, expect, it } from 'vitest';
import { gsm7Septets, isGsm7, smsInfo, smsSegments, toGsm7 } from '../../../functions/domain/gsm7';

describe('isGsm7', () => {
  it('accepts plain Dutch and English, the accented letters of the basic set and the extension table', () => {
    expect(isGsm7('Heeft u het afval aangeboden? Antwoord JA of NEE.')).toBe(true);
    expect(isGsm7('é è ü Ä ö Ñ à Ç ß @ £ ¥ § ¿ ¡ _')).toBe(true);
    expect(isGsm7('€ [ ] { } ^ ~ \\ |')).toBe(true);
    expect(isGsm7('regel 1\nregel 2')).toBe(true);
  });

  it('refuses the Dutch diaeresis letters that are not in the alphabet, and anything beyond it', () => {
    expect(isGsm7('geëvalueerd')).toBe(false);
    expect(isGsm7('ruïne')).toBe(false);
    expect(isGsm7('Súdwest-Fryslân')).toBe(false);
    expect(isGsm7('`backtick`')).toBe(false);
    expect(isGsm7('’')).toBe(false);
    expect(isGsm7('ok 👍')).toBe(false);
  });
});

describe('gsm7Septets', () => {
  it('counts one septet per basic character and two per extension character', () => {
    expect(gsm7Septets('')).toBe(0);
    expect(gsm7Septets('Afval')).toBe(5);
    expect(gsm7Septets('€5')).toBe(3);
    expect(gsm7Septets('[]{}^~\\|')).toBe(16);
  });

  it('throws for text that GSM-7 cannot carry, naming the character', () => {
    expect(() => gsm7Septets('geëvalueerd')).toThrow(/'ë' \(U\+EB\)/);
  });
});

describe('smsSegments', () => {
  const a = (n: number) => 'a'.repeat(n);

  it('fits 160 septets in one GSM-7 message and 153 in each part of a longer one', () => {
    expect(smsSegments('')).toBe(1);
    expect(smsSegments(a(160))).toBe(1);
    expect(smsSegments(a(161))).toBe(2);
    expect(smsSegments(a(306))).toBe(2);
    expect(smsSegments(a(307))).toBe(3);
  });

  it('counts extension characters twice and never splits an escape pair over two parts', () => {
    expect(smsSegments(`${a(158)}€`)).toBe(1);
    expect(smsSegments(`${a(159)}€`)).toBe(2);
    // 306 septets would fill two parts exactly, but the euro sign cannot start in the last septet of part one.
    expect(smsInfo(`${a(152)}€${a(152)}`)).toEqual({ encoding: 'GSM-7', length: 306, segments: 3 });
  });

  it('falls back to UCS-2 for the whole text: 70 code units, or 67 per part', () => {
    const e = (n: number) => 'ë'.repeat(n);
    expect(smsInfo(e(70))).toEqual({ encoding: 'UCS-2', length: 70, segments: 1 });
    expect(smsSegments(e(71))).toBe(2);
    expect(smsSegments(e(134))).toBe(2);
    expect(smsSegments(e(135))).toBe(3);
    // One foreign letter is enough to cost a second segment.
    expect(smsInfo(`${a(100)}ë`)).toEqual({ encoding: 'UCS-2', length: 101, segments: 2 });
  });

  it('counts UTF-16 code units in UCS-2 and keeps a surrogate pair in one part', () => {
    expect(smsInfo('👍'.repeat(35))).toEqual({ encoding: 'UCS-2', length: 70, segments: 1 });
    expect(smsSegments('👍'.repeat(36))).toBe(2);
    expect(smsInfo(`${'ë'.repeat(66)}👍${'ë'.repeat(66)}`)).toEqual({
      encoding: 'UCS-2',
      length: 134,
      segments: 3,
    });
  });
});

describe('toGsm7', () => {
  it('keeps GSM-7 text as it is, accents of the basic set included', () => {
    const text = 'Gemeente Den Haag: één coördinator? Nee, è ü Ä [€] {ok}';
    expect(toGsm7(text)).toBe(text);
  });

  it('drops diacritics GSM-7 lacks and plain-ifies typographic punctuation', () => {
    expect(toGsm7('Gemeente Súdwest-Fryslân')).toBe('Gemeente Sudwest-Fryslan');
    expect(toGsm7('geëvalueerd, ruïne, Curaçao')).toBe('geevalueerd, ruine, Curacao');
    expect(toGsm7('School’s “plan” – klaar…')).toBe('School\'s "plan" - klaar...');
    expect(toGsm7('ok 👍 中')).toBe('ok ? ?');
    expect(isGsm7(toGsm7('Ĳsselstein, Sneek—Leeuwarden, Łódź'))).toBe(true);
  });
});
