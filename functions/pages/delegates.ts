import { randomBytes } from 'node:crypto';
import type { Service } from '../../workflows/schema';
import { type DelegateScope, MAX_ACTIVE_DELEGATES } from '../delegation/model';
import type { Created, DelegateContext, DelegateFormState } from '../delegation/page-input';
import type { AnsweredBy } from '../delegation/views';
import type { CaseDto } from '../domain/case-dto';
import type { Locale } from '../domain/model';
import { esc } from './html';
import { formatDate } from './i18n';

// Letting someone help (delegation/): on the citizen's page, the helpers who have a link, each with a
// button that withdraws it, and a plain form that hands steps (or the whole case) to a new helper,
// whose link is shown once; on a helper's own page, whom they help with what. No JavaScript: every
// action is a form that posts back with the page's CSRF value.

const WORDS = {
  nl: {
    heading: 'Iemand laten helpen',
    intro:
      'Laat iemand die u helpt (bijvoorbeeld uw dochter, een buur of een mentor) stappen voor u invullen, met een eigen link. Die persoon ziet alleen wat nodig is en kan alleen de stappen invullen die u kiest. U kunt de link altijd intrekken.',
    none: 'Er helpt nu niemand met een eigen link.',
    current: 'Wie nu helpt',
    until: 'tot',
    whole: 'de hele zaak',
    withdraw: 'Link intrekken',
    withdrawFor: (name: string) => `Link van ${name} intrekken`,
    name: 'Naam van wie u helpt',
    steps: 'Welke stappen mag deze persoon invullen?',
    all: 'De hele zaak (alle stappen die u doet)',
    expires: 'Link werkt tot en met (niet verplicht)',
    expiresHelp: (date: string) => `Zonder datum werkt de link zolang uw eigen link werkt (tot ${date}).`,
    add: 'Link maken',
    limit: `U kunt hoogstens ${MAX_ACTIVE_DELEGATES} mensen tegelijk laten helpen. Trek eerst een link in.`,
    createdTitle: (name: string) => `Link voor ${name} gemaakt`,
    createdBody:
      'Geef deze link aan wie u helpt, bijvoorbeeld in een bericht. Hij is alleen nu te zien; bewaar hem niet openbaar.',
    linkLabel: 'De link',
    helperTitle: 'U helpt iemand',
    helperBody: (name: string, what: string) =>
      `${name ? `${name}, u` : 'U'} vult hier stappen in namens de aanvrager: ${what}. Andere stappen kunt u zien, maar niet invullen.`,
    helperAll: 'alle stappen van de aanvrager',
    notYours: 'Deze stap vult de aanvrager zelf in.',
    byHelperForYou: (name: string) => `Ingevuld door ${name}, namens u`,
    byHelper: (name: string) => `Ingevuld door ${name}`,
    someone: 'iemand die u helpt',
    errorTitle: 'De link is nog niet gemaakt',
    errors: {
      name: 'Vul de naam in: zichtbare tekens, op één regel, hoogstens 100.',
      steps: 'Kies de hele zaak of minstens één van uw eigen stappen.',
      expiresAt: 'Kies een datum in de toekomst, niet later dan uw eigen link werkt.',
    } as Record<string, string>,
    otherError: 'Controleer wat u invulde.',
  },
  en: {
    heading: 'Let someone help',
    intro:
      'Let someone who helps you (your daughter, a neighbour or a mentor, for example) fill in steps for you, with a link of their own. They see only what is needed and can fill in only the steps you choose. You can withdraw the link at any time.',
    none: 'Nobody helps with a link of their own at the moment.',
    current: 'Who helps now',
    until: 'until',
    whole: 'the whole case',
    withdraw: 'Withdraw link',
    withdrawFor: (name: string) => `Withdraw the link of ${name}`,
    name: 'Name of the person who helps you',
    steps: 'Which steps may this person fill in?',
    all: 'The whole case (every step you do)',
    expires: 'The link works until (optional)',
    expiresHelp: (date: string) =>
      `Without a date the link works as long as your own link does (until ${date}).`,
    add: 'Make a link',
    limit: `At most ${MAX_ACTIVE_DELEGATES} people can help at a time. Withdraw a link first.`,
    createdTitle: (name: string) => `Link for ${name} made`,
    createdBody:
      'Give this link to the person who helps you, in a message for example. It is shown only now; do not share it publicly.',
    linkLabel: 'The link',
    helperTitle: 'You are helping someone',
    helperBody: (name: string, what: string) =>
      `${name ? `${name}, you` : 'You'} fill in steps here on behalf of the applicant: ${what}. You can see other steps, but not fill them in.`,
    helperAll: 'every step of the applicant',
    notYours: 'The applicant fills in this step themselves.',
    byHelperForYou: (name: string) => `Filled in by ${name}, on your behalf`,
    byHelper: (name: string) => `Filled in by ${name}`,
    someone: 'someone who helps you',
    errorTitle: 'The link was not made yet',
    errors: {
      name: 'Give the name: visible characters, on one line, at most 100.',
      steps: 'Choose the whole case or at least one of your own steps.',
      expiresAt: 'Choose a date in the future, no later than your own link works.',
    } as Record<string, string>,
    otherError: 'Please check what you filled in.',
  },
} as const;

const p = (text: string) => `<p class="utrecht-paragraph">${text}</p>`;

export interface DelegatesInput {
  dto: CaseDto;
  service: Service;
  locale: Locale;
  basePath: string;
  csrf: string;
  created?: Created;
  delegateForm?: DelegateFormState;
}

function citizenSteps(service: Service) {
  return service.stages.flatMap((stage) => stage.steps.filter((s) => s.actor === 'citizen'));
}

function scopeText(service: Service, steps: DelegateScope, locale: Locale, whole: string): string {
  if (steps === 'all') return whole;
  const titles = citizenSteps(service)
    .filter((s) => steps.includes(s.id))
    .map((s) => `‘${s.title[locale]}’`);
  return titles.join(', ');
}

/** The line under a step a helper answered: who, and for whom. */
export function answeredByLine(by: AnsweredBy, locale: Locale, onYourBehalf: boolean): string {
  const w = WORDS[locale];
  const name = by.name ?? w.someone;
  return p(esc(onYourBehalf ? w.byHelperForYou(name) : w.byHelper(name)));
}

/** In place of the form of a step that was not handed to the helper looking at the page. */
export const notYoursLine = (locale: Locale) => p(esc(WORDS[locale].notYours));

/** On a helper's page: whom they help, with what. */
export function delegateBanner(delegate: DelegateContext, service: Service, locale: Locale): string {
  const w = WORDS[locale];
  const what = scopeText(service, delegate.steps, locale, w.helperAll);
  return `<div class="utrecht-alert utrecht-alert--info" id="delegate" role="status"><div class="utrecht-alert__content"><div class="utrecht-alert__message"><h2 class="utrecht-heading-2">${w.helperTitle}</h2>${p(esc(w.helperBody(delegate.name ?? '', what)))}</div></div></div>`;
}

function createdNotice(created: Created, locale: Locale): string {
  const w = WORDS[locale];
  return `<div class="utrecht-alert utrecht-alert--ok" id="delegate-created" role="status"><div class="utrecht-alert__content"><div class="utrecht-alert__message"><h3 class="utrecht-heading-3">${esc(w.createdTitle(created.name))}</h3>${p(esc(w.createdBody))}<div class="utrecht-form-field utrecht-form-field--text"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="delegate-link">${w.linkLabel}</label></div><div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="delegate-link" type="text" readonly value="${esc(created.link)}"></div></div></div></div></div>`;
}

function current(input: DelegatesInput): string {
  const { dto, service, locale, basePath, csrf } = input;
  const w = WORDS[locale];
  const delegates = dto.delegates ?? [];
  if (delegates.length === 0) return p(w.none);
  const items = delegates.map((d) => {
    const name = d.name ?? w.someone;
    const action = `${basePath}/delegates/${encodeURIComponent(d.delegateId)}/revoke?lang=${locale}`;
    const what = scopeText(service, d.steps, locale, w.whole);
    return `<li class="utrecht-unordered-list__item"><strong>${esc(name)}</strong>: ${esc(what)}, ${w.until} ${esc(formatDate(d.expiresAt, locale))}<form class="utrecht-form" method="post" action="${esc(action)}"><input type="hidden" name="_csrf" value="${esc(csrf)}"><button type="submit" class="utrecht-button utrecht-button--secondary-action" aria-label="${esc(w.withdrawFor(name))}">${w.withdraw}</button></form></li>`;
  });
  return `<h3 class="utrecht-heading-3">${w.current}</h3><ul class="utrecht-unordered-list">${items.join('')}</ul>`;
}

const checkbox = (id: string, name: string, label: string, checked: boolean) =>
  `<div class="utrecht-form-field utrecht-form-field--checkbox"><div class="utrecht-form-field__label"><label class="utrecht-form-label utrecht-form-label--checkbox" for="${id}"><input type="checkbox" class="utrecht-checkbox utrecht-checkbox--html-input utrecht-form-field__input" id="${id}" name="${name}" value="yes"${checked ? ' checked' : ''}> ${label}</label></div></div>`;

/** A field's error, next to it and named by aria-describedby. */
function fieldError(id: string, field: string, state: DelegateFormState | undefined, locale: Locale) {
  if (state?.errors[field] === undefined) return { note: '', describedBy: [] as string[] };
  const w = WORDS[locale];
  const text = w.errors[field] ?? w.otherError;
  return {
    note: `<div class="utrecht-form-field-error-message" id="${id}-error">${esc(text)}</div>`,
    describedBy: [`${id}-error`],
  };
}

function errorSummary(state: DelegateFormState, locale: Locale): string {
  const w = WORDS[locale];
  const targets: Record<string, string> = {
    name: 'delegate-name',
    steps: 'delegate-all',
    expiresAt: 'delegate-expires',
  };
  const items = Object.keys(state.errors).map((field) => {
    const text = esc(w.errors[field] ?? w.otherError);
    const target = targets[field];
    return target
      ? `<li><a class="utrecht-link utrecht-link--html-a" href="#${target}">${text}</a></li>`
      : `<li>${text}</li>`;
  });
  return `<div class="utrecht-alert utrecht-alert--error" role="alert" id="delegate-errors" tabindex="-1" autofocus><div class="utrecht-alert__content"><div class="utrecht-alert__message"><h3 class="utrecht-heading-3">${w.errorTitle}</h3><ul class="utrecht-unordered-list">${items.join('')}</ul></div></div></div>`;
}

/**
 * The form to add a helper. Its one-time key (`_once`) makes a double tap, or the form sent again
 * from the browser's history, add one helper and show the same link (delegation/delegates.ts).
 */
function addForm(input: DelegatesInput): string {
  const { dto, service, locale, basePath, csrf } = input;
  const w = WORDS[locale];
  if ((dto.delegates ?? []).length >= MAX_ACTIVE_DELEGATES) return p(w.limit);
  const state = input.delegateForm;
  const values = state?.values ?? {};
  const boxes = citizenSteps(service).map((s) =>
    checkbox(
      `delegate-step-${esc(s.id)}`,
      `step:${esc(s.id)}`,
      esc(s.title[locale]),
      values[`step:${s.id}`] === 'yes',
    ),
  );
  const all = checkbox('delegate-all', 'all', w.all, values.all === 'yes');
  const action = `${basePath}/delegates?lang=${locale}`;
  const help = w.expiresHelp(formatDate(linkEnd(dto), locale));
  const name = fieldError('delegate-name', 'name', state, locale);
  const steps = fieldError('delegate-steps', 'steps', state, locale);
  const expires = fieldError('delegate-expires', 'expiresAt', state, locale);
  const invalid = (e: { describedBy: string[] }) => (e.describedBy.length > 0 ? ' aria-invalid="true"' : '');
  const nameDescribed =
    name.describedBy.length > 0 ? ` aria-describedby="${name.describedBy.join(' ')}"` : '';
  const expiresDescribed = ['delegate-expires-help', ...expires.describedBy].join(' ');
  return `${state ? errorSummary(state, locale) : ''}<form class="utrecht-form" method="post" action="${esc(action)}" novalidate><input type="hidden" name="_csrf" value="${esc(csrf)}"><input type="hidden" name="_once" value="${randomBytes(16).toString('base64url')}"><div class="utrecht-form-field utrecht-form-field--text"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="delegate-name">${w.name}</label></div>${name.note}<div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="delegate-name" name="name" type="text" autocomplete="off" maxlength="100" aria-required="true" value="${esc(values.name ?? '')}"${invalid(name)}${nameDescribed}></div></div><fieldset class="utrecht-form-fieldset"${steps.describedBy.length > 0 ? ` aria-describedby="${steps.describedBy.join(' ')}"` : ''}><legend class="utrecht-form-fieldset__legend">${w.steps}</legend>${steps.note}${all}${boxes.join('')}</fieldset><div class="utrecht-form-field utrecht-form-field--text"><div class="utrecht-form-field__label"><label class="utrecht-form-label" for="delegate-expires">${w.expires}</label></div><div class="utrecht-form-field-description" id="delegate-expires-help">${esc(help)}</div>${expires.note}<div class="utrecht-form-field__input"><input class="utrecht-textbox utrecht-textbox--html-input" id="delegate-expires" name="expiresAt" type="date" value="${esc(values.expiresAt ?? '')}" aria-describedby="${expiresDescribed}"${invalid(expires)}></div></div><div class="utrecht-button-group"><button type="submit" class="utrecht-button utrecht-button--secondary-action utrecht-button--submit">${w.add}</button></div></form>`;
}

/** The case link's own end: the latest a helper's link may work. */
const linkEnd = (dto: CaseDto) => dto.linkExpiresAt ?? dto.updatedAt;

/** The citizen's section: the new link (once), the helpers, and the form; only while the case runs. */
export function delegatesSection(input: DelegatesInput): string {
  const { dto, locale } = input;
  const w = WORDS[locale];
  // A new helper while the case runs (not while it is on hold: nothing can be done meanwhile).
  const open = dto.status === 'ACTIVE' && !dto.erased;
  if (!open && (dto.delegates ?? []).length === 0) return '';
  const parts = [
    `<h2 class="utrecht-heading-2" id="delegates-heading">${w.heading}</h2>`,
    p(esc(w.intro)),
    input.created ? createdNotice(input.created, locale) : '',
    current(input),
    open ? addForm(input) : '',
  ];
  return `<section aria-labelledby="delegates-heading" id="delegates">${parts.join('')}</section>`;
}
