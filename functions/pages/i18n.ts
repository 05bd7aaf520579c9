import type { Locale } from '../domain/model';
import { dateFormat } from '../shared/date-format';

// The citizen page's own words. Service texts come bilingual from the definitions.

export const TEXT = {
  nl: {
    you: 'Wat u doet',
    provider: 'Wat {org} doet',
    stage: 'Fase',
    status: { OPEN: 'Open', DONE: 'Klaar', PENDING: 'Nog niet aan de beurt', CLOSED: 'Gesloten' },
    caseStatus: {
      ACTIVE: 'Loopt',
      FAILED: 'Onderbroken',
      COMPLETED: 'Afgerond',
      EXPIRED: 'Verlopen',
      CANCELLED: 'Gestopt',
    },
    caseLabel: 'Stand van zaken',
    current: 'nu bezig',
    due: 'Graag vóór',
    overdue: 'Te laat',
    submitted: 'Ingediend op',
    earlierAnswer: 'Antwoord van de vorige keer:',
    providerWorking: '{org} werkt hieraan.',
    opensAfter: 'Dit komt aan de beurt zodra ‘{step}’ klaar is.',
    send: 'Versturen',
    optional: '(niet verplicht)',
    yes: 'Ja',
    no: 'Nee',
    thanks: 'Dank u. Uw antwoord is ontvangen',
    fixErrors: 'Controleer de gemarkeerde velden.',
    retry:
      'Er ging net iets mis. Er is niets opgeslagen; uw antwoorden staan er nog. Verstuur het formulier opnieuw.',
    reopened:
      'Deze vraag is opnieuw gesteld sinds u de pagina opende. Er is niets opgeslagen; uw antwoorden staan er nog. Lees eerst wat er nu staat, en verstuur het formulier dan opnieuw.',
    other: 'English',
    errorTitle: 'Er is iets niet goed ingevuld',
    nothingYet: 'Hier is nog niets te doen.',
    failedTitle: 'Er ging bij {org} iets mis',
    failedBody:
      'Door een fout aan de kant van {org} staat uw zaak even stil. {org} weet ervan en lost het op. U hoeft niets te doen: wat u al hebt ingevuld, blijft bewaard. Zodra het is opgelost, kunt u hier verder.',
    failedStep: 'Dit kunt u invullen zodra het probleem bij {org} is opgelost.',
    exportLink: 'Download alle gegevens van deze zaak (JSON)',
    erasedTitle: 'Gegevens verwijderd',
    erasedBody:
      'Op {date} heeft {org} uw persoonlijke gegevens in deze zaak verwijderd. Wat overblijft, is alleen hoe de zaak verliep, zonder gegevens over u.',
  },
  en: {
    you: 'What you do',
    provider: 'What {org} does',
    stage: 'Stage',
    status: { OPEN: 'Open', DONE: 'Done', PENDING: 'Not yet', CLOSED: 'Closed' },
    caseStatus: {
      ACTIVE: 'In progress',
      FAILED: 'Interrupted',
      COMPLETED: 'Completed',
      EXPIRED: 'Expired',
      CANCELLED: 'Stopped',
    },
    caseLabel: 'Progress',
    current: 'in progress',
    due: 'Please before',
    overdue: 'Overdue',
    submitted: 'Submitted on',
    earlierAnswer: 'Answer from last time:',
    providerWorking: '{org} is working on this.',
    opensAfter: 'This opens once ‘{step}’ is done.',
    send: 'Send',
    optional: '(optional)',
    yes: 'Yes',
    no: 'No',
    thanks: 'Thank you. Your answer was received',
    fixErrors: 'Please check the marked fields.',
    retry:
      'Something went wrong just now. Nothing was saved; your answers are still here. Please send the form again.',
    reopened:
      'This question was asked again since you opened the page. Nothing was saved; your answers are still here. Read what it says now first, then send the form again.',
    other: 'Nederlands',
    errorTitle: 'Something needs fixing',
    nothingYet: 'Nothing to do here yet.',
    failedTitle: 'Something went wrong at {org}',
    failedBody:
      'Because of a fault on the side of {org}, your case is on hold for now. {org} has been told and is fixing it. You do not need to do anything: what you already sent is kept. Once it is fixed, you can continue here.',
    failedStep: 'You can fill this in once the problem at {org} is fixed.',
    exportLink: 'Download all data of this case (JSON)',
    erasedTitle: 'Data erased',
    erasedBody:
      'On {date}, {org} erased your personal data in this case. What is left is only how the case went, without any data about you.',
  },
} as const;

/** ?lang= wins, then the browser's first language, then the case's locale, then Dutch. */
/** A `?lang=` the pages speak, else undefined. */
export function localeParam(lang: string | undefined): Locale | undefined {
  return lang === 'en' || lang === 'nl' ? lang : undefined;
}

export function pickLocale(
  lang: string | undefined,
  acceptLanguage: string | undefined,
  fallback: Locale,
): Locale {
  const asked = localeParam(lang);
  if (asked) return asked;
  const first = acceptLanguage?.split(',')[0]?.trim().toLowerCase() ?? '';
  if (first.startsWith('en')) return 'en';
  if (first.startsWith('nl')) return 'nl';
  return fallback;
}

const DUTCH: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^This field is required\.$/, () => 'Dit veld is verplicht.'],
  [/^Enter text\.$/, () => 'Vul tekst in.'],
  [/^Use at most (\d+) characters\.$/, (m) => `Gebruik hoogstens ${m[1]} tekens.`],
  [/^Choose one of: (.*)\.$/, () => 'Kies een van de mogelijkheden.'],
  [/^Answer yes or no\.$/, () => 'Kies ja of nee.'],
  [/^Enter a real date as YYYY-MM-DD\.$/, () => 'Vul een bestaande datum in.'],
  [/^Enter a number\.$/, () => 'Vul een getal in.'],
  [/^Enter a whole number\.$/, () => 'Vul een geheel getal in.'],
  [/^Enter at least (.*)\.$/, (m) => `Vul minstens ${m[1]} in.`],
  [/^Enter at most (.*)\.$/, (m) => `Vul hoogstens ${m[1]} in.`],
  [/^This field is not part of the form\.$/, () => 'Dit veld hoort niet bij het formulier.'],
  // The input policy (functions/domain/input-policy.ts), the same words at every edge.
  [/^contains a line break or control character$/, () => 'Gebruik geen regelovergang of stuurteken.'],
  [/^use visible characters only$/, () => 'Gebruik alleen zichtbare tekens (geen onzichtbare opmaaktekens).'],
  [
    /^not a Dutch mobile number/,
    () => 'Geen Nederlands mobiel nummer: gebruik 06 en 8 cijfers, of +316 en 8 cijfers.',
  ],
  [/^not a valid e-mail address$/, () => 'Geen geldig e-mailadres.'],
  [
    /^no way to reach the citizen/,
    () => 'Geef een mobiel nummer of e-mailadres, of geef aan dat u de link persoonlijk afgeeft.',
  ],
];

/** Field messages come from the domain in English; the page shows them in the reader's language. */
export function fieldMessage(message: string, locale: Locale): string {
  if (locale === 'en') return message;
  for (const [pattern, dutch] of DUTCH) {
    const m = message.match(pattern);
    if (m) return dutch(m);
  }
  return message;
}

/**
 * A line of an error summary: the field's label, then its message in the reader's language. A label that
 * is a question ("Ging de samenwerking goed?") takes no colon after its own mark.
 */
export function errorLine(label: string, message: string, locale: Locale): string {
  const said = fieldMessage(message, locale);
  return /[?!:.]$/.test(label.trim()) ? `${label} ${said}` : `${label}: ${said}`;
}

/** The language tag each locale formats numbers and dates with (Dutch and British conventions). */
export const LANGUAGE_TAGS: Record<Locale, string> = { nl: 'nl-NL', en: 'en-GB' };

const numberFormats = new Map<Locale, Intl.NumberFormat>();

/**
 * A number as the language writes it: 2,5 in Dutch, 2.5 in English; no grouping, so a year or a count
 * reads as typed (2026, not 2.026). One format per language, kept.
 */
export function formatNumber(value: number, locale: Locale): string {
  let format = numberFormats.get(locale);
  if (!format) {
    const options = { maximumFractionDigits: 10, useGrouping: false };
    format = new Intl.NumberFormat(LANGUAGE_TAGS[locale], options);
    numberFormats.set(locale, format);
  }
  return format.format(value);
}

export function formatDate(iso: string, locale: Locale): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  const d = new Date(dateOnly ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dateFormat(LANGUAGE_TAGS[locale], {
    dateStyle: 'long',
    ...(dateOnly ? { timeZone: 'UTC' } : { timeStyle: 'short', timeZone: 'Europe/Amsterdam' }),
  }).format(d);
}
