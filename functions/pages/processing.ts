import type { Locale } from '../domain/model';
import type { DataCategory, ProcessingAction, ProcessingEntry } from '../domain/processing-log';
import { dateFormat } from '../shared/date-format';
import { esc } from './html';
import { LANGUAGE_TAGS } from './i18n';

// The processing log in plain words ("Gemeente Utrecht heeft uw antwoorden bekeken op 3 december
// 2025."), grouped per organisation and purpose, without staff names. The citizen page shows it; the
// console shows the same sentences to staff, with who and the trace.

type Words = {
  heading: string;
  intro: string;
  none: string;
  /** A view holds the newest records only (every view of the case adds one); the export holds all. */
  older: (shown: number) => string;
  purpose: string;
  categories: Record<DataCategory, string>;
  /** An erasure names no categories when there was nothing left to erase. */
  everything: string;
  sentence: (org: string, what: string, action: ProcessingAction, date: string) => string;
  times: (n: number) => string;
  and: string;
  /** A helper of the citizen (delegation/) used the data through their own link. */
  helper: (name: string | undefined) => string;
};

export const PROCESSING_WORDS: Record<Locale, Words> = {
  nl: {
    heading: 'Wie uw gegevens heeft gebruikt',
    intro:
      'Elke keer dat medewerkers uw gegevens bekijken of wijzigen, staat dat hier: welke organisatie het deed, wanneer en waarvoor. Namen van medewerkers staan er niet bij.',
    none: 'Er heeft nog niemand uw gegevens bekeken of gewijzigd.',
    older: (shown) =>
      `Hier staan de ${shown} laatste keren. Eerdere keren staan in de download van al uw gegevens, onderaan deze pagina.`,
    purpose: 'Waarvoor',
    categories: {
      contact: 'uw contactgegevens',
      reference: 'het kenmerk van uw zaak',
      context: 'de gegevens voor deze dienst',
      answers: 'uw antwoorden',
      notes: 'de aantekeningen over uw zaak',
    },
    everything: 'uw gegevens',
    sentence: (org, what, action, date) =>
      `${org} heeft ${what} ${{ read: 'bekeken', create: 'vastgelegd', update: 'aangevuld', erase: 'verwijderd' }[action]} op ${date}.`,
    times: (n) => ` (${n} keer)`,
    and: 'en',
    helper: (name) => `${name ?? 'Iemand die u helpt'} (met de link die u gaf)`,
  },
  en: {
    heading: 'Who has used your data',
    intro:
      'Every time staff view or change your data, it is listed here: which organisation did it, when and what for. Staff names are not shown.',
    none: 'Nobody has viewed or changed your data yet.',
    older: (shown) =>
      `These are the last ${shown} times. Earlier ones are in the download of all your data, at the bottom of this page.`,
    purpose: 'What for',
    categories: {
      contact: 'your contact details',
      reference: 'the reference of your case',
      context: 'the details for this service',
      answers: 'your answers',
      notes: 'the notes on your case',
    },
    everything: 'your data',
    sentence: (org, what, action, date) =>
      `${org} ${{ read: 'viewed', create: 'recorded', update: 'added to', erase: 'erased' }[action]} ${what} on ${date}.`,
    times: (n) => ` (${n} times)`,
    and: 'and',
    helper: (name) => `${name ?? 'Someone who helps you'} (with the link you gave)`,
  },
};

export function dayOf(iso: string, locale: Locale): string {
  return dateFormat(LANGUAGE_TAGS[locale], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Amsterdam',
  }).format(new Date(iso));
}

/** Who used the data: the organisation, or a helper of the citizen by name. */
function who(e: ProcessingEntry, locale: Locale): string {
  return e.delegate ? PROCESSING_WORDS[locale].helper(e.delegate.name) : e.organisation;
}

function list(items: string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

/** One sentence per entry; the same sentence on the same day is counted, not repeated. */
export function processingSentences(entries: readonly ProcessingEntry[], locale: Locale): string[] {
  const w = PROCESSING_WORDS[locale];
  const counted = new Map<string, number>();
  for (const e of entries) {
    const what =
      e.categories.length > 0
        ? list(
            e.categories.map((c) => w.categories[c]),
            w.and,
          )
        : w.everything;
    const sentence = w.sentence(who(e, locale), what, e.action, dayOf(e.at, locale));
    counted.set(sentence, (counted.get(sentence) ?? 0) + 1);
  }
  return [...counted].map(([sentence, n]) => (n > 1 ? `${sentence.slice(0, -1)}${w.times(n)}.` : sentence));
}

/** Entries per organisation and purpose, in the order they first appear. */
export function processingGroups(entries: readonly ProcessingEntry[], locale: Locale) {
  const groups = new Map<string, { organisation: string; purpose: string; entries: ProcessingEntry[] }>();
  for (const e of entries) {
    const key = `${who(e, locale)}\u0000${e.purpose[locale]}`;
    const group = groups.get(key) ?? {
      organisation: who(e, locale),
      purpose: e.purpose[locale],
      entries: [],
    };
    group.entries.push(e);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The section of the citizen page (Utrecht design system classes); `older`: the log has more than these. */
export function processingSection(
  entries: readonly ProcessingEntry[],
  locale: Locale,
  older = false,
): string {
  const w = PROCESSING_WORDS[locale];
  const intro = older ? `${w.intro} ${w.older(entries.length)}` : w.intro;
  const groups = processingGroups(entries, locale).map((g) => {
    const items = processingSentences(g.entries, locale).map(
      (s) => `<li class="utrecht-unordered-list__item">${esc(s)}</li>`,
    );
    return `<h3 class="utrecht-heading-3">${esc(g.organisation)}</h3><p class="utrecht-paragraph">${w.purpose}: ${esc(g.purpose)}</p><ul class="utrecht-unordered-list">${items.join('')}</ul>`;
  });
  const body = groups.length > 0 ? groups.join('') : `<p class="utrecht-paragraph">${w.none}</p>`;
  return `<section aria-labelledby="processing" id="processing-log"><h2 class="utrecht-heading-2" id="processing">${w.heading}</h2><p class="utrecht-paragraph">${esc(intro)}</p>${body}</section>`;
}
