import type { Service } from '../../workflows/schema';
import type { CaseDto } from '../domain/case-dto';
import type { Locale } from '../domain/model';
import { reopenableUntil } from '../domain/reopen-window';
import { esc } from '../pages/html';
import { formatDate } from '../pages/i18n';

// "Heropenen" on a completed case, while its service's window is open: like the cancel form, with a
// reason the citizen sees too. The domain checks the window again when the form is sent.

export const REOPEN_WORDS = {
  nl: {
    title: 'Heropenen',
    intro: (until: string, stage: string) =>
      `Is het toch niet klaar? Tot en met ${until} kan de zaak terug naar ‘${stage}’. De burger ziet de reden.`,
    reason: 'Wat is er niet klaar?',
    notice: 'De zaak is heropend. De burger is op de hoogte.',
  },
  en: {
    title: 'Reopen',
    intro: (until: string, stage: string) =>
      `Not done after all? Until ${until} the case can go back to ‘${stage}’. The citizen sees the reason.`,
    reason: 'What is not done?',
    notice: 'The case was reopened. The citizen has been told.',
  },
} as const;

export function reopenForm(
  dto: CaseDto,
  service: Service,
  input: { locale: Locale; base: string; csrf: string; now: Date; reason?: string },
): string {
  const settings = service.reopen;
  const until = reopenableUntil(dto, service, input.now);
  if (!settings || !until) return '';
  const w = REOPEN_WORDS[input.locale];
  const stage = service.stages.find((s) => s.id === settings.stage)?.title[input.locale] ?? settings.stage;
  const intro = w.intro(formatDate(until.toISOString(), input.locale), stage);
  const action = `${input.base}/cases/${dto.caseId}/reopen`;
  return `<section aria-labelledby="reopen"><h2 id="reopen">${w.title}</h2><p>${esc(intro)}</p><form method="post" action="${esc(action)}"><input type="hidden" name="_csrf" value="${esc(input.csrf)}"><div class="field"><label for="reopen-reason">${w.reason}</label><input type="text" id="reopen-reason" name="reason" required maxlength="500" value="${esc(input.reason ?? '')}"></div><button type="submit" class="utrecht-button utrecht-button--primary-action">${w.title}</button></form></section>`;
}
