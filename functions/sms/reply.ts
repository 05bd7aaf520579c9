import type { Field, Step } from '../../workflows/schema';
import type { FieldValue, FormData } from '../domain/model';

// Reading a citizen's SMS: a keyword, or an optional short code followed by the answer for the
// step's `sms.field` and, when the step has `sms.note`, a free note. People type on phones, so
// case, accents and trailing punctuation never matter, and Dutch and English both work.

export type SmsKeyword = 'stop' | 'start' | 'help';

const KEYWORDS: Record<string, SmsKeyword> = {
  stop: 'stop',
  stoppen: 'stop',
  afmelden: 'stop',
  start: 'start',
  aanmelden: 'start',
  help: 'help',
  hellup: 'help',
  info: 'help',
};
const YES = new Set(['ja', 'j', 'yes', 'y']);
const NO = new Set(['nee', 'n', 'no']);
const EDGE_PUNCTUATION = /^[\s.,:;!?'"()-]+|[\s.,:;!?'"()-]+$/g;

/**
 * Lower case without accents or surrounding punctuation: 'Jà!' and 'ja' read the same. Compatibility
 * forms fold too (a phone's full-width 'ｊａ'), and invisible format characters (a zero-width space
 * pasted along) are dropped, so a word that looks right to the citizen reads right.
 */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\p{M}\p{Cf}]/gu, '')
    .toLowerCase()
    .replace(EDGE_PUNCTUATION, '');
}

/** A keyword only when it is the whole message: 'stop de bak hier' is an answer, not an opt-out. */
export function keywordOf(body: string): SmsKeyword | undefined {
  return KEYWORDS[fold(body)];
}

const CODE = /^\s*([a-z]\d)(?=$|[\s.,:;!?-])[\s.,:;!?-]*/i;
/** A code run into the answer ('g6ja'), taken only when it is one of the codes open for the number. */
const RUN_ON = /^\s*([a-z]\d)(?=[a-z])/i;

/**
 * Splits off a leading short code such as 'A7' in 'A7 ja, bak stond er'. A phone's keyboard often leaves
 * out the space: 'G6ja' is read as G6 and 'ja' when G6 is among `known` (the codes open for the number).
 */
export function splitCode(
  body: string,
  known: ReadonlySet<string> = new Set(),
): { code?: string; rest: string } {
  const match = CODE.exec(body);
  if (match?.[1]) return { code: match[1].toUpperCase(), rest: body.slice(match[0].length).trim() };
  const runOn = RUN_ON.exec(body);
  const code = runOn?.[1]?.toUpperCase();
  if (runOn && code && known.has(code)) return { code, rest: body.slice(runOn[0].length).trim() };
  return { rest: body.trim() };
}

export type ParsedAnswer = { ok: true; data: FormData } | { ok: false; field?: Field };

/** Fills the step's SMS field (and note) from the text after the code; `field` says what was expected. */
export function parseAnswer(step: Pick<Step, 'form' | 'sms'>, text: string): ParsedAnswer {
  const field = step.form.fields.find((f) => f.id === step.sms?.field);
  if (!step.sms || !field) return { ok: false };
  const answer = text.trim();
  if (answer === '') return { ok: false, field };
  const read = readValue(field, answer);
  if (!read) return { ok: false, field };
  const data: FormData = {
    [field.id]: typeof read.value === 'string' ? oneLine(field, read.value) : read.value,
  };
  // Only the separator goes: the note itself is kept as the citizen wrote it, except that a line
  // break becomes a space where the field is one line. Everything else meets the form's own rules
  // (input-policy.ts): a note with a control character is refused like one typed on the web.
  const noteField = step.form.fields.find((f) => f.id === step.sms?.note);
  const note = read.rest.replace(/^[\s.,:;!?-]+/, '').trim();
  if (step.sms.note && noteField && note !== '') data[step.sms.note] = oneLine(noteField, note);
  return { ok: true, data };
}

/** Phones put line breaks in texts; a one-line field takes them as spaces. */
function oneLine(field: Field, text: string): string {
  return field.type === 'text' ? text.replace(/[ \t]*(\r\n|[\r\n\u2028\u2029])[ \t]*/g, ' ') : text;
}

interface Read {
  value: FieldValue;
  rest: string;
}

function readValue(field: Field, answer: string): Read | undefined {
  if (field.type === 'text' || field.type === 'longText') return { value: answer, rest: '' };
  const [first] = words(answer);
  if (!first) return undefined;
  const rest = answer.slice(first.end);
  const word = fold(first.word);
  if (word === '') return undefined;
  switch (field.type) {
    case 'yesNo':
      if (YES.has(word)) return { value: true, rest };
      if (NO.has(word)) return { value: false, rest };
      return undefined;
    case 'number': {
      const digits = first.word.replace(/[.,:;!?]+$/, '');
      if (!/^-?\d+([.,]\d+)?$/.test(digits)) return undefined;
      return { value: Number(digits.replace(',', '.')), rest };
    }
    case 'date': {
      const value = readDate(word);
      return value === undefined ? undefined : { value, rest };
    }
    case 'choice':
      return readChoice(field, answer, word, rest);
  }
}

/** dd-mm-yyyy (also with / or .), the way Dutch people write dates; stored as yyyy-mm-dd like the web form. */
function readDate(word: string): string | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(word)) return word;
  const m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(word);
  if (!m) return undefined;
  return `${m[3]}-${m[2]?.padStart(2, '0')}-${m[1]?.padStart(2, '0')}`;
}

type ChoiceField = Extract<Field, { type: 'choice' }>;

/** Option number, then value, then a whole label, then a label prefix that fits exactly one option. */
function readChoice(field: ChoiceField, answer: string, word: string, rest: string): Read | undefined {
  const { options } = field;
  if (/^\d+$/.test(word)) {
    const option = options[Number(word) - 1];
    return option && { value: option.value, rest };
  }
  const byValue = options.find((o) => fold(o.value) === word);
  if (byValue) return { value: byValue.value, rest };
  const spans = words(answer);
  for (const option of options) {
    for (const label of [option.label.nl, option.label.en]) {
      const n = label.trim().split(/\s+/).length;
      const span = spans[n - 1];
      if (span && fold(answer.slice(0, span.end)) === fold(label))
        return { value: option.value, rest: answer.slice(span.end) };
    }
  }
  const matches = options.filter((o) =>
    [o.label.nl, o.label.en, o.value].some((l) => fold(l).startsWith(word)),
  );
  const [only] = matches;
  return matches.length === 1 && only ? { value: only.value, rest } : undefined;
}

function words(text: string): { word: string; end: number }[] {
  return [...text.matchAll(/\S+/g)].map((m) => ({ word: m[0], end: (m.index ?? 0) + m[0].length }));
}
