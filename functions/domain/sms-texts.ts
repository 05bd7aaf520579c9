import type { Field } from '../../workflows/schema';
import { isGsm7, smsSegments } from './gsm7';
import type { Locale } from './model';

// The webhook's own replies. Each fits one GSM-7 segment (160 characters) with realistic codes and
// titles; the tests check that. Service texts (the confirmation) come from the definitions instead.

export interface Texts {
  optedOut: string;
  optedIn: string;
  none: string;
  duplicate: string;
  /** A message the service cannot use at all (no sender number, an overlong text, no message id). */
  unusable: string;
  notOpen: string;
  closed: string;
  /** The case is FAILED: the organisation's fault, known, and the answer not saved. */
  failed: string;
  retry: string;
  webOnly: string;
  /** A code that no open step has, while what is open is answered through the link (a code of before). */
  codeWebOnly: (code: string) => string;
  helpNone: string;
  help: (list: string) => string;
  needCode: (list: string) => string;
  unknownCode: (code: string, list: string) => string;
  unclear: (hint: string) => string;
  invalid: (hint: string) => string;
  yesNo: string;
  number: (min?: number, max?: number) => string;
  date: string;
  text: (max: number) => string;
  /** A control or invisible character in the text (input-policy.ts). */
  characters: string;
  choice: (options: string) => string;
  /** A completed case was reopened (by either partner): it runs again, the page says what is next. */
  reopened: (service: string, link: string) => string;
}

const nl: Texts = {
  optedOut: 'U krijgt geen sms meer. Uw zaak loopt door. Stuur START voor weer sms.',
  optedIn: 'U krijgt weer sms van ons. Stuur STOP om u af te melden.',
  none: 'Er staat nu niets voor u open, dus we hebben niets opgeslagen.',
  duplicate: 'We hebben uw bericht al ontvangen. Dank u wel!',
  unusable: 'Dit bericht kunnen we niet lezen. Stuur HELP voor uitleg.',
  notOpen: 'Deze stap staat niet meer open, dus we hebben niets opgeslagen.',
  closed: 'Deze zaak is afgesloten, dus we hebben niets opgeslagen.',
  failed:
    'Er ging bij ons iets mis met uw zaak. We weten ervan en lossen het op. Uw antwoord is niet opgeslagen; stuur het later nog eens.',
  retry: 'Uw antwoord kwam net niet aan. Stuur het over een paar minuten nog een keer.',
  webOnly: 'Deze stap beantwoordt u via de link in onze sms.',
  codeWebOnly: (code) =>
    `Code ${code} staat niet (meer) open, dus we hebben niets opgeslagen. Wat nu op u wacht, beantwoordt u via de link in onze sms.`,
  helpNone: 'Er staat nu niets voor u open. Stuur STOP om u af te melden.',
  help: (list) =>
    `Open: ${ended(list)} Stuur de code en uw antwoord, bv. ${example(list, 'ja')}. STOP = afmelden.`,
  needCode: (list) =>
    `Welke stap bedoelt u? Zet de code voor uw antwoord, bv. ${example(list, 'ja')}. Open: ${ended(list)}`,
  unknownCode: (code, list) => `Code ${code} kennen we niet. Open: ${ended(list)}`,
  unclear: (hint) => `We begrijpen uw antwoord niet. ${hint}`,
  invalid: (hint) => `Dit antwoord kunnen we niet opslaan. ${hint}`,
  yesNo: 'Antwoord met JA of NEE.',
  number: (min, max) =>
    min !== undefined && max !== undefined
      ? `Antwoord met een getal van ${min} tot en met ${max}.`
      : 'Antwoord met een getal.',
  date: 'Antwoord met een datum, bv. 31-12-2026.',
  text: (max) => `Antwoord met een tekst van hoogstens ${max} tekens.`,
  characters: 'Stuur gewone tekst, zonder onzichtbare of speciale tekens.',
  choice: (options) => `Antwoord met een nummer: ${options}.`,
  reopened: (service, link) => `${service} is heropend en loopt weer. Bekijk het via ${link}`,
};

const en: Texts = {
  optedOut: 'You get no more texts. Your case carries on. Send START to get them again.',
  optedIn: 'You will get texts from us again. Send STOP to opt out.',
  none: 'Nothing is waiting for an answer from you, so nothing was saved.',
  duplicate: 'We already received your message. Thank you!',
  unusable: 'We cannot read this message. Send HELP for help.',
  notOpen: 'This step is no longer open, so nothing was saved.',
  closed: 'This case is closed, so nothing was saved.',
  failed:
    'Something went wrong on our side with your case. We know and are fixing it. Your answer was not saved; please send it again later.',
  retry: 'Your answer did not get through just now. Please send it again in a few minutes.',
  webOnly: 'Please answer this step through the link in our text.',
  codeWebOnly: (code) =>
    `Code ${code} is not open (any more), so nothing was saved. Please answer what waits for you now through the link in our text.`,
  helpNone: 'Nothing is waiting for you right now. Send STOP to opt out.',
  help: (list) =>
    `Open: ${ended(list)} Send the code and your answer, e.g. ${example(list, 'yes')}. STOP = opt out.`,
  needCode: (list) =>
    `Which step do you mean? Put the code first, e.g. ${example(list, 'yes')}. Open: ${ended(list)}`,
  unknownCode: (code, list) => `We do not know code ${code}. Open: ${ended(list)}`,
  unclear: (hint) => `We did not understand your answer. ${hint}`,
  invalid: (hint) => `We cannot save this answer. ${hint}`,
  yesNo: 'Reply YES or NO.',
  number: (min, max) =>
    min !== undefined && max !== undefined
      ? `Reply with a number from ${min} to ${max}.`
      : 'Reply with a number.',
  date: 'Reply with a date, e.g. 31-12-2026.',
  text: (max) => `Reply with a text of at most ${max} characters.`,
  characters: 'Send plain text, without invisible or special characters.',
  choice: (options) => `Reply with a number: ${options}.`,
  reopened: (service, link) => `${service} was reopened and runs again. See ${link}`,
};

export const TEXTS: Record<Locale, Texts> = { nl, en };

/** In the citizen's language when a case tells it, else Dutch then English. */
export function say(locale: Locale | undefined, pick: (t: Texts) => string): string {
  return locale ? pick(TEXTS[locale]) : `${pick(nl)} / ${pick(en)}`;
}

/** The list as a sentence: a title that ends in '?' or '.' gets no second full stop. */
function ended(list: string): string {
  return /[.?!]$/.test(list) ? list : `${list}.`;
}

function example(list: string, answer: string): string {
  return `${list.slice(0, 2)} ${answer}`;
}

/** What a field expects, for a reply that could not be read. */
export function hintFor(field: Field | undefined, locale: Locale): string {
  const t = TEXTS[locale];
  switch (field?.type) {
    case 'yesNo':
      return t.yesNo;
    case 'number':
      return t.number(field.min, field.max);
    case 'date':
      return t.date;
    case 'text':
    case 'longText':
      return t.text(field.maxLength);
    case 'choice':
      return t.choice(field.options.map((o, i) => `${i + 1} ${gsmSafe(o.label[locale])}`).join(', '));
    default:
      return t.webOnly;
  }
}

const REPLACEMENTS: Record<string, string> = {
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '–': '-',
  '—': '-',
  '…': '...',
};

/** Titles come from definitions; a character outside GSM-7 would halve the room of the whole reply. */
export function gsmSafe(text: string): string {
  if (isGsm7(text)) return text;
  return [...text]
    .map((ch) => {
      if (isGsm7(ch)) return ch;
      const bare = ch.normalize('NFD').replace(/\p{M}/gu, '');
      return isGsm7(bare) ? bare : (REPLACEMENTS[ch] ?? '?');
    })
    .join('');
}

/**
 * 'A7 Bak buiten zetten; B3 Foto van de bak', shortened until `render` fits one segment: first the
 * titles are cut, at last only the codes remain.
 */
export function fitList(items: { code: string; title: string }[], render: (list: string) => string): string {
  let text = '';
  for (const max of [60, 24, 12, 0]) {
    const list = items
      .map(({ code, title }) => (max === 0 ? code : `${code} ${cut(gsmSafe(title), max)}`))
      .join(max === 0 ? ', ' : '; ');
    text = render(list);
    if (smsSegments(text) === 1) return text;
  }
  return text;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 2).trimEnd()}..`;
}
