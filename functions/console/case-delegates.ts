import type { AnsweredBy } from '../delegation/views';
import type { Locale } from '../domain/model';
import { esc } from '../pages/html';

// On the console's case page: who answered a citizen step when it was the citizen's helper
// (delegation/), as a caseworker says it.

const WORDS = {
  nl: { by: (name: string) => `ingevuld door ${name} namens de burger`, someone: 'iemand die helpt' },
  en: { by: (name: string) => `filled in by ${name} on behalf of the citizen`, someone: 'a helper' },
} as const;

/** " · ingevuld door Anna namens de burger", or nothing when the citizen answered themselves. */
export function answeredByText(by: AnsweredBy | undefined, locale: Locale): string {
  if (!by) return '';
  const w = WORDS[locale];
  return ` · <span class="cp-delegate">${esc(w.by(by.name ?? w.someone))}</span>`;
}
