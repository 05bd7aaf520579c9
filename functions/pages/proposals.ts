import type { Service } from '../../workflows/schema';
import type { CaseDto } from '../domain/case-dto';
import type { Locale } from '../domain/model';
import { orgDisplayName } from '../domain/org-name';
import type { ProposalView } from '../proposals/view';
import { esc } from './html';
import { formatDate } from './i18n';

// "Andere datum?": on the citizen's page, the proposed due dates of both partners with their answers
// ("U vroeg om 5 december; de gemeente ging akkoord"), a form to answer the organisation's open
// proposal (accept or decline, an optional note), and per open step that takes proposals a form to
// ask for another day. Plain forms with the page's CSRF value; the server decides again.

const WORDS = {
  nl: {
    title: 'Andere datum?',
    intro: 'Past een datum niet? Vraag om een andere dag; de andere partij gaat akkoord of niet.',
    youAsked: 'U vroeg om {date} voor ‘{step}’',
    orgAsked: '{org} stelt {date} voor ‘{step}’ voor',
    status: {
      OPEN: 'wacht op antwoord',
      ACCEPTED: '{other} ging akkoord',
      DECLINED: '{other} ging niet akkoord',
      EXPIRED: 'vervallen: de stap was al gesloten',
    },
    you: 'u',
    reason: 'Reden',
    note: 'Toelichting',
    answerTitle: 'Gaat u akkoord met {date} voor ‘{step}’?',
    notePrompt: 'Toelichting (niet verplicht)',
    accept: 'Ja, akkoord',
    decline: 'Nee, liever niet',
    askTitle: 'Andere datum voor ‘{step}’ (nu uiterlijk {due})',
    day: 'Welke dag?',
    why: 'Waarom past die dag beter?',
    ask: 'Vraag om deze dag',
  },
  en: {
    title: 'Another date?',
    intro: 'Does a date not suit? Ask for another day; the other partner agrees or not.',
    youAsked: 'You asked for {date} for ‘{step}’',
    orgAsked: '{org} proposes {date} for ‘{step}’',
    status: {
      OPEN: 'waiting for an answer',
      ACCEPTED: '{other} agreed',
      DECLINED: '{other} did not agree',
      EXPIRED: 'lapsed: the step had already closed',
    },
    you: 'you',
    reason: 'Reason',
    note: 'Note',
    answerTitle: 'Do you agree to {date} for ‘{step}’?',
    notePrompt: 'Note (optional)',
    accept: 'Yes, agreed',
    decline: 'No, rather not',
    askTitle: 'Another date for ‘{step}’ (now due {due})',
    day: 'Which day?',
    why: 'Why does that day suit better?',
    ask: 'Ask for this day',
  },
} as const;

export interface ProposalsInput {
  dto: CaseDto;
  service: Service;
  locale: Locale;
  basePath: string;
  csrf: string;
}

const p = (text: string) => `<p class="utrecht-paragraph">${text}</p>`;
const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');
/** A submit button; `accept` sets the answer's value (the ask form's button sends nothing of its own). */
const button = (label: string, kind: string, accept?: 'true' | 'false') =>
  `<button type="submit"${accept ? ` name="accept" value="${accept}"` : ''} class="utrecht-button utrecht-button--${kind} utrecht-button--submit">${label}</button>`;

export function proposalsSection(input: ProposalsInput): string {
  const { dto, service, locale } = input;
  const w = WORDS[locale];
  const org = orgDisplayName(dto.org);
  const steps = service.stages.flatMap((s) => s.steps);
  const title = (stepId: string) => steps.find((s) => s.id === stepId)?.title[locale] ?? stepId;
  const proposals = dto.proposals ?? [];
  const active = dto.status === 'ACTIVE' && !dto.erased;
  const askable = active
    ? dto.steps.filter(
        (s) =>
          s.status === 'OPEN' &&
          steps.find((d) => d.id === s.stepId)?.proposals &&
          !proposals.some((x) => x.stepId === s.stepId && x.status === 'OPEN'),
      )
    : [];
  if (proposals.length === 0 && askable.length === 0) return '';
  const history = proposals.map((x) => line(x, input, title(x.stepId), org));
  const answers = active
    ? proposals
        .filter((x) => x.status === 'OPEN' && x.by === 'provider')
        .map((x) => answerForm(x, input, title(x.stepId)))
    : [];
  const asks = askable.map((s) => askForm(s.stepId, s.dueAt ?? '', input, title(s.stepId)));
  const list = history.length ? `<ul class="utrecht-unordered-list">${history.join('')}</ul>` : '';
  return `<section aria-labelledby="proposals"><h2 class="utrecht-heading-2" id="proposals">${w.title}</h2>${p(esc(w.intro))}${list}${answers.join('')}${asks.join('')}</section>`;
}

function line(x: ProposalView, input: ProposalsInput, step: string, org: string): string {
  const w = WORDS[input.locale];
  const date = formatDate(x.dueAt, input.locale);
  const asked = fill(x.by === 'citizen' ? w.youAsked : w.orgAsked, { org, date, step });
  const other = x.by === 'citizen' ? org : w.you;
  const status = fill(w.status[x.status], { other });
  const reason = x.reason ? ` ${w.reason}: ${x.reason}.` : '';
  const note = x.note ? ` ${w.note}: ${x.note}.` : '';
  return `<li class="utrecht-unordered-list__item" data-status="${x.status}">${esc(`${asked}; ${status}.${reason}${note}`)}</li>`;
}

function answerForm(x: ProposalView, input: ProposalsInput, step: string): string {
  const w = WORDS[input.locale];
  const id = `note-${x.proposalId}`;
  const action = `${input.basePath}/proposals/${x.proposalId}?lang=${input.locale}`;
  const heading = fill(w.answerTitle, { date: formatDate(x.dueAt, input.locale), step });
  return `<form class="utrecht-form" method="post" action="${esc(action)}" novalidate><fieldset class="utrecht-form-fieldset"><legend class="utrecht-form-fieldset__legend">${esc(heading)}</legend><input type="hidden" name="_csrf" value="${esc(input.csrf)}"><div class="utrecht-form-field utrecht-form-field--text"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${esc(id)}">${w.notePrompt}</label></div><div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" type="text" id="${esc(id)}" name="note" maxlength="300"></div></div><div class="utrecht-button-group">${button(w.accept, 'primary-action', 'true')}${button(w.decline, 'secondary-action', 'false')}</div></fieldset></form>`;
}

function askForm(stepId: string, due: string, input: ProposalsInput, step: string): string {
  const w = WORDS[input.locale];
  const action = `${input.basePath}/steps/${stepId}/proposals?lang=${input.locale}`;
  const heading = fill(w.askTitle, { step, due: due ? formatDate(due, input.locale) : '' });
  const field = (id: string, label: string, control: string) =>
    `<div class="utrecht-form-field utrecht-form-field--text"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="${id}">${label}</label></div><div class="utrecht-form-field__input">${control}</div></div>`;
  const day = `propose-day-${stepId}`;
  const why = `propose-reason-${stepId}`;
  return `<form class="utrecht-form" method="post" action="${esc(action)}" novalidate><fieldset class="utrecht-form-fieldset"><legend class="utrecht-form-fieldset__legend">${esc(heading)}</legend><input type="hidden" name="_csrf" value="${esc(input.csrf)}">${field(day, w.day, `<input class="utrecht-textbox utrecht-textbox--html-input" type="date" id="${day}" name="dueAt" aria-required="true">`)}${field(why, w.why, `<input class="utrecht-textbox utrecht-textbox--html-input" type="text" id="${why}" name="reason" aria-required="true" maxlength="300">`)}<div class="utrecht-button-group">${button(w.ask, 'secondary-action')}</div></fieldset></form>`;
}
