import type { CaseDto } from '../domain/case-dto';
import type { Locale } from '../domain/model';
import { esc } from '../pages/html';
import { waitingParagraphs } from '../reports/waiting-words';

// The case page's "who waited on whom", as the caseworker says it (the citizen reads the same figures).

const TITLE = { nl: 'Wie wachtte op wie?', en: 'Who waited for whom?' } as const;

export function waitingSection(dto: CaseDto, locale: Locale): string {
  if (dto.waiting.stages.length === 0) return '';
  const lines = waitingParagraphs(dto.waiting, dto.org, 'provider', locale)
    .map((line) => `<p>${esc(line)}</p>`)
    .join('');
  return `<section aria-labelledby="waiting" id="case-waiting"><h2 id="waiting">${TITLE[locale]}</h2>${lines}</section>`;
}
