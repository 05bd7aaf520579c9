import type { Service } from '../../workflows/schema';
import type { CaseDto } from '../domain/case-dto';
import type { Locale } from '../domain/model';
import { orgDisplayName } from '../domain/org-name';
import { reopenableUntil } from '../domain/reopen-window';
import { esc } from './html';
import { formatDate } from './i18n';

// "Het is niet klaar": on a completed case, inside its service's window, a plain form (reason, CSRF
// value) that reopens it; on a reopened case, who reopened it and why. The server decides again
// when the form is sent: the page only leaves out a form that could not succeed.

const WORDS = {
  nl: {
    formTitle: 'Is het toch niet klaar?',
    formIntro:
      'Tot en met {date} kunt u deze zaak heropenen. Zeg wat er niet klaar is; {org} ziet uw reden en de zaak gaat terug naar ‘{stage}’.',
    reason: 'Wat is er niet klaar?',
    send: 'Zaak heropenen',
    reopenedTitle: 'Zaak heropend',
    byYou: 'U heeft deze zaak heropend op {date}.',
    byOrg: '{org} heeft deze zaak heropend op {date}.',
    because: 'Reden',
  },
  en: {
    formTitle: 'Not done after all?',
    formIntro:
      'Until {date} you can reopen this case. Say what is not done; {org} sees your reason and the case goes back to ‘{stage}’.',
    reason: 'What is not done?',
    send: 'Reopen the case',
    reopenedTitle: 'Case reopened',
    byYou: 'You reopened this case on {date}.',
    byOrg: '{org} reopened this case on {date}.',
    because: 'Reason',
  },
} as const;

const p = (text: string) => `<p class="utrecht-paragraph">${text}</p>`;

export interface ReopenInput {
  dto: CaseDto;
  service: Service;
  locale: Locale;
  basePath: string;
  csrf: string;
  now: Date;
}

export function reopenSection(input: ReopenInput): string {
  const { dto, service, locale } = input;
  const w = WORDS[locale];
  const org = orgDisplayName(dto.org);
  const stage = service.stages.find((s) => s.id === service.reopen?.stage)?.title[locale] ?? '';
  const end = reopenableUntil(dto, service, input.now);
  if (end) {
    const intro = w.formIntro
      .replace('{date}', formatDate(end.toISOString(), locale))
      .replace('{org}', org)
      .replace('{stage}', stage);
    const action = `${input.basePath}/reopen?lang=${locale}`;
    return `<section aria-labelledby="reopen"><h2 class="utrecht-heading-2" id="reopen">${w.formTitle}</h2>${p(esc(intro))}<form class="utrecht-form" method="post" action="${esc(action)}" novalidate><input type="hidden" name="_csrf" value="${esc(input.csrf)}"><div class="utrecht-form-field utrecht-form-field--text"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="reopen-reason">${w.reason}</label></div><div class="utrecht-form-field__input"><textarea class="utrecht-textarea utrecht-textarea--html-textarea" id="reopen-reason" name="reason" aria-required="true" rows="3" maxlength="500"></textarea></div></div><div class="utrecht-button-group"><button type="submit" class="utrecht-button utrecht-button--secondary-action utrecht-button--submit">${w.send}</button></div></form></section>`;
  }
  const last = [...dto.events].reverse().find((e) => e.type === 'CASE_REOPENED');
  if (!last || dto.status !== 'ACTIVE') return '';
  const who = (last.actor === 'citizen' ? w.byYou : w.byOrg)
    .replace('{org}', org)
    .replace('{date}', formatDate(last.at, locale));
  const reason = typeof last.detail?.reason === 'string' ? p(`${w.because}: ${esc(last.detail.reason)}`) : '';
  return `<div class="utrecht-alert utrecht-alert--ok" id="case-reopened" role="status"><div class="utrecht-alert__content"><div class="utrecht-alert__message"><h2 class="utrecht-heading-2">${w.reopenedTitle}</h2>${p(esc(who))}${reason}</div></div></div>`;
}
