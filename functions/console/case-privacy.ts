import type { CaseDto, ProcessingView } from '../domain/case-dto';
import type { Locale } from '../domain/model';
import { esc } from '../pages/html';
import { formatDate } from '../pages/i18n';
import { PROCESSING_WORDS, processingSentences } from '../pages/processing';

// The staff's case page, privacy part: the processing log as the citizen sees it (with who and the
// trace, for the privacy officer), and "Erase personal data" (reason required) or, once done, when.

const WORDS = {
  nl: {
    log: 'Verwerkingslog',
    logIntro: 'Wie de persoonsgegevens van deze zaak las of wijzigde. De burger ziet dit ook, zonder namen.',
    older: (shown: number) => `Hier staan de ${shown} laatste regels; de eerdere zijn bewaard.`,
    all: 'Alle regels bekijken',
    who: 'Medewerker',
    trace: 'Trace',
    what: 'Wat',
    when: 'Wanneer',
    erase: 'Gegevens verwijderen',
    eraseHelp:
      'Verwijdert de persoonsgegevens van deze zaak voorgoed (de sleutel van de zaak gaat weg). Een lopende zaak stopt. Wat blijft, is anoniem: statussen en doorlooptijden. De reden komt in het verwerkingslog.',
    reason: 'Reden',
    erased: (when: string, by: string) => `Gegevens verwijderd op ${when} door ${by}.`,
  },
  en: {
    log: 'Processing log',
    logIntro: "Who read or changed this case's personal data. The citizen sees this too, without names.",
    older: (shown: number) => `These are the last ${shown} lines; the earlier ones are kept.`,
    all: 'See all lines',
    who: 'Staff',
    trace: 'Trace',
    what: 'What',
    when: 'When',
    erase: 'Erase personal data',
    eraseHelp:
      "Erases this case's personal data for good (the case's key is deleted). A running case stops. What is left is anonymous: statuses and lead times. The reason goes into the processing log.",
    reason: 'Reason',
    erased: (when: string, by: string) => `Data erased on ${when} by ${by}.`,
  },
} as const;

export function erasedNotice(dto: CaseDto, locale: Locale): string {
  if (!dto.erased) return '';
  const text = WORDS[locale].erased(formatDate(dto.erased.at, locale), dto.erased.by ?? '—');
  return `<div class="notice" role="status" id="case-erased"><p>${esc(text)}</p></div>`;
}

/** Processing log lines as staff see them: when, what (the citizen's sentence), who, and the trace. */
export function processingTable(entries: readonly ProcessingView[], locale: Locale): string {
  const t = WORDS[locale];
  if (entries.length === 0) return `<p>${PROCESSING_WORDS[locale].none}</p>`;
  const rows = entries.map((entry) => {
    const [sentence] = processingSentences([entry], locale);
    return `<tr><td>${esc(formatDate(entry.at, locale))}</td><td>${esc(sentence ?? '')}</td><td>${esc(entry.by ?? '')}</td><td class="cp-code">${esc(entry.traceId ?? '')}</td></tr>`;
  });
  return `<div class="cp-table"><table><thead><tr><th scope="col">${t.when}</th><th scope="col">${t.what}</th><th scope="col">${t.who}</th><th scope="col">${t.trace}</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** `reason`: a refused erasure's reason, back in its field (reason-refusal.ts). */
export function privacySection(
  dto: CaseDto,
  locale: Locale,
  base: string,
  csrf: string,
  reason = '',
): string {
  const t = WORDS[locale];
  const all = `${base}/cases/${encodeURIComponent(dto.caseId)}/processing`;
  const older = dto.processingLogOlder
    ? `<p id="processing-older">${esc(t.older(dto.processingLog.length))} <a href="${esc(all)}">${t.all}</a></p>`
    : '';
  const log = `<section aria-labelledby="processing"><h2 id="processing">${t.log}</h2><p>${t.logIntro}</p>${older}${processingTable(dto.processingLog, locale)}</section>`;
  if (dto.erased) return log;
  const action = `${base}/cases/${encodeURIComponent(dto.caseId)}/erase`;
  const erase = `<section aria-labelledby="erase"><h2 id="erase">${t.erase}</h2><p>${t.eraseHelp}</p><form method="post" action="${esc(action)}"><input type="hidden" name="_csrf" value="${esc(csrf)}"><div class="field"><label for="erase-reason">${t.reason}</label><input type="text" id="erase-reason" name="reason" required maxlength="500" value="${esc(reason)}"></div><button type="submit" class="utrecht-button utrecht-button--primary-action cp-danger">${t.erase}</button></form></section>`;
  return log + erase;
}
