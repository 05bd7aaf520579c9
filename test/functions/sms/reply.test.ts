import { describe, expect, it } from 'vitest';
import { fold, keywordOf, parseAnswer, splitCode } from '../../../functions/sms/reply';
import type { Field, Step } from '../../../workflows/schema';

const label = (nl: string, en: string) => ({ nl, en });
const note: Field = {
  id: 'note',
  type: 'longText',
  required: false,
  maxLength: 1000,
  label: label('Toelichting', 'Note'),
};

function step(field: Field, withNote = true): Pick<Step, 'form' | 'sms'> {
  return {
    form: { fields: withNote ? [field, note] : [field] },
    sms: withNote ? { field: field.id, note: 'note' } : { field: field.id },
  };
}

const yesNo = step({
  id: 'presented',
  type: 'yesNo',
  required: true,
  label: label('Aangeboden?', 'Put out?'),
});
const choice = step({
  id: 'slot',
  type: 'choice',
  required: true,
  label: label('Tijd', 'Time'),
  options: [
    { value: 'morning', label: label('Ochtend', 'Morning') },
    { value: 'afternoon', label: label('Middag', 'Afternoon') },
    { value: 'evening-late', label: label('Late avond', 'Late evening') },
  ],
});
const count = step({
  id: 'bags',
  type: 'number',
  required: true,
  integer: false,
  label: label('Zakken', 'Bags'),
});
const date = step({ id: 'visitOn', type: 'date', required: true, label: label('Datum', 'Date') });
const text = step(
  { id: 'wish', type: 'text', required: true, maxLength: 200, label: label('Wens', 'Wish') },
  false,
);

describe('keywordOf', () => {
  it.each([
    ['STOP', 'stop'],
    ['stop', 'stop'],
    [' Stop. ', 'stop'],
    ['Stoppen!', 'stop'],
    ['afmelden', 'stop'],
    ['AFMÉLDEN', 'stop'],
    ['start', 'start'],
    ['Aanmelden', 'start'],
    ['help', 'help'],
    ['HELLUP', 'help'],
    ['info?', 'help'],
  ])('%j is %s', (body, keyword) => {
    expect(keywordOf(body)).toBe(keyword);
  });

  it.each(['stop de bak', 'A7 stop', 'ja', '', 'stopp'])('%j is no keyword', (body) => {
    expect(keywordOf(body)).toBeUndefined();
  });
});

describe('splitCode', () => {
  it('splits a leading letter+digit code, any case, with or without punctuation', () => {
    expect(splitCode('A7 ja, bak stond er')).toEqual({ code: 'A7', rest: 'ja, bak stond er' });
    expect(splitCode('  b3: nee')).toEqual({ code: 'B3', rest: 'nee' });
    expect(splitCode('c4')).toEqual({ code: 'C4', rest: '' });
  });

  it('leaves text without a code alone', () => {
    expect(splitCode(' ja prima ')).toEqual({ rest: 'ja prima' });
    expect(splitCode('A77 ja')).toEqual({ rest: 'A77 ja' });
    expect(splitCode('a4-formaat')).toEqual({ code: 'A4', rest: 'formaat' });
  });

  it('reads a code run into the answer only when it is one of the open codes', () => {
    const open = new Set(['G6', 'M6']);
    expect(splitCode('g6ja', open)).toEqual({ code: 'G6', rest: 'ja' });
    expect(splitCode(' M6nee, bak was vol', open)).toEqual({ code: 'M6', rest: 'nee, bak was vol' });
    // Not an open code: the text is the answer, as typed.
    expect(splitCode('a4formaat', open)).toEqual({ rest: 'a4formaat' });
    expect(splitCode('g6ja')).toEqual({ rest: 'g6ja' });
  });
});

describe('parseAnswer', () => {
  it.each([
    ['ja', true],
    ['J', true],
    ['Yes!', true],
    ['y', true],
    ['Nee.', false],
    ['n', false],
    ['NO', false],
    // A phone's full-width letters, and a zero-width space pasted along: they look like 'ja'.
    ['ｊａ', true],
    ['Ja\u200b', true],
  ])('reads yes/no %j', (answer, value) => {
    expect(parseAnswer(yesNo, answer)).toEqual({ ok: true, data: { presented: value } });
  });

  it('puts the rest of the text in the note, as written', () => {
    expect(parseAnswer(yesNo, 'ja, bak stond er. Prima!')).toEqual({
      ok: true,
      data: { presented: true, note: 'bak stond er. Prima!' },
    });
  });

  it('refuses an answer it cannot read and says which field was expected', () => {
    const result = parseAnswer(yesNo, 'misschien');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.field?.id).toBe('presented');
    expect(parseAnswer(yesNo, '   ').ok).toBe(false);
  });

  it('reads a choice by number, value, whole label or unique label prefix', () => {
    expect(parseAnswer(choice, '2')).toEqual({ ok: true, data: { slot: 'afternoon' } });
    expect(parseAnswer(choice, 'MORNING graag')).toEqual({
      ok: true,
      data: { slot: 'morning', note: 'graag' },
    });
    expect(parseAnswer(choice, 'late avond, na 8 uur')).toEqual({
      ok: true,
      data: { slot: 'evening-late', note: 'na 8 uur' },
    });
    expect(parseAnswer(choice, 'och')).toEqual({ ok: true, data: { slot: 'morning' } });
    expect(parseAnswer(choice, 'aft')).toEqual({ ok: true, data: { slot: 'afternoon' } });
  });

  it('refuses a choice out of range or ambiguous', () => {
    expect(parseAnswer(choice, '4').ok).toBe(false);
    expect(parseAnswer(choice, '0').ok).toBe(false);
    expect(parseAnswer(choice, 'm').ok).toBe(false); // Middag and Morning
    expect(parseAnswer(choice, 'nacht').ok).toBe(false);
  });

  it('reads numbers with a decimal comma and keeps the sign', () => {
    expect(parseAnswer(count, '3')).toEqual({ ok: true, data: { bags: 3 } });
    expect(parseAnswer(count, '2,5 zakken')).toEqual({ ok: true, data: { bags: 2.5, note: 'zakken' } });
    expect(parseAnswer(count, '-1')).toEqual({ ok: true, data: { bags: -1 } });
    expect(parseAnswer(count, 'drie').ok).toBe(false);
  });

  it('reads dd-mm-yyyy dates as the web form stores them', () => {
    expect(parseAnswer(date, '7-3-2026')).toEqual({ ok: true, data: { visitOn: '2026-03-07' } });
    expect(parseAnswer(date, '31/12/2026 na de middag')).toEqual({
      ok: true,
      data: { visitOn: '2026-12-31', note: 'na de middag' },
    });
    expect(parseAnswer(date, '2026-03-07')).toEqual({ ok: true, data: { visitOn: '2026-03-07' } });
    expect(parseAnswer(date, 'morgen').ok).toBe(false);
  });

  it('takes the whole text for a text field', () => {
    expect(parseAnswer(text, ' Graag een grotere bak ')).toEqual({
      ok: true,
      data: { wish: 'Graag een grotere bak' },
    });
  });

  it('refuses a step without sms settings', () => {
    expect(parseAnswer({ form: yesNo.form }, 'ja')).toEqual({ ok: false });
  });

  it('folds case, accents and surrounding punctuation', () => {
    expect(fold(' ÉéN! ')).toBe('een');
  });
});
