import type { CaseDto } from '../domain/case-dto';
import type { Locale } from '../domain/model';
import { waitingParagraphs } from '../reports/waiting-words';
import { esc } from './html';

// The citizen page's "who waited on whom": the same figures the provider sees, in the citizen's words.

const TITLE = { nl: 'Wie wachtte op wie?', en: 'Who waited for whom?' } as const;

export function waitingSection(dto: CaseDto, locale: Locale): string {
  if (dto.waiting.stages.length === 0) return '';
  const lines = waitingParagraphs(dto.waiting, dto.org, 'citizen', locale)
    .map((line) => `<p class="utrecht-paragraph">${esc(line)}</p>`)
    .join('');
  return `<section aria-labelledby="waiting" id="case-waiting"><h2 class="utrecht-heading-2" id="waiting">${TITLE[locale]}</h2>${lines}</section>`;
}
