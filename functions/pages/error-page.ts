import { AppError } from '../shared/errors';
import { esc, page } from './html';

// Friendly, bilingual error pages for the citizen routes: what happened and what to do, no internals.

const BY_CODE: Record<string, { nl: string; en: string }> = {
  NOT_FOUND: {
    nl: 'Deze pagina bestaat niet. Controleer de link in uw bericht.',
    en: 'This page does not exist. Please check the link in your message.',
  },
  LINK_EXPIRED: {
    nl: 'Deze link is verlopen. Vraag uw contactpersoon om een nieuwe.',
    en: 'This link has expired. Ask your contact for a new one.',
  },
  STEP_NOT_OPEN: {
    nl: 'Deze stap wacht niet (meer) op een antwoord. Misschien is hij al ingevuld.',
    en: 'This step is not waiting for an answer (any more). It may have been answered already.',
  },
  TOKEN_EXPIRED: {
    nl: 'Er ging net iets mis. Er is niets opgeslagen; probeer het nog eens.',
    en: 'Something went wrong just now. Nothing was saved; please try again.',
  },
  CASE_CLOSED: { nl: 'Deze zaak is afgesloten.', en: 'This case is closed.' },
  CSRF: {
    nl: 'Het formulier is verlopen of niet via deze pagina verstuurd. Open de pagina opnieuw.',
    en: 'The form expired or was not sent from this page. Please open the page again.',
  },
  // The forms without a page of their own to show what to fix (a proposed date, reopening, a helper).
  VALIDATION_FAILED: {
    nl: 'Niet alles is goed ingevuld, dus er is niets opgeslagen. Ga terug, kijk na wat u invulde en probeer het opnieuw.',
    en: 'Not everything was filled in right, so nothing was saved. Go back, check what you entered and try again.',
  },
  PROPOSAL_ALREADY_OPEN: {
    nl: 'Voor deze stap wacht al een voorstel voor een nieuwe datum op antwoord.',
    en: 'A proposed new date for this step is already waiting for an answer.',
  },
  PROPOSAL_LIMIT_REACHED: {
    nl: 'U hebt voor deze stap al zo vaak een nieuwe datum voorgesteld als kan. Neem contact op met uw contactpersoon.',
    en: 'You proposed a new date for this step as often as it allows. Please contact your contact person.',
  },
  PROPOSAL_ANSWERED: {
    nl: 'Dit voorstel is al beantwoord.',
    en: 'This proposal has been answered already.',
  },
  PROPOSAL_EXPIRED: {
    nl: 'Dit voorstel geldt niet meer: de stap wacht er niet meer op.',
    en: 'This proposal no longer applies: the step is not waiting for it any more.',
  },
  REOPEN_NOT_OFFERED: {
    nl: 'Deze zaak kan niet worden heropend.',
    en: 'This case cannot be reopened.',
  },
  REOPEN_WINDOW_CLOSED: {
    nl: 'Deze zaak is te lang geleden afgerond om nog te heropenen. Neem contact op met uw contactpersoon.',
    en: 'This case was completed too long ago to be reopened. Please contact your contact person.',
  },
  LINK_REVOKED: {
    nl: 'Deze link is ingetrokken door wie hem u gaf. Vraag die persoon om een nieuwe als u nog wilt helpen.',
    en: 'This link was withdrawn by the person who gave it to you. Ask them for a new one if you still want to help.',
  },
  DELEGATE_REVOKED: {
    nl: 'De link van deze helper is al ingetrokken.',
    en: 'This helper’s link has been withdrawn already.',
  },
  DELEGATE_LIMIT: {
    nl: 'Er kunnen niet meer helpers bij deze zaak. Trek eerst de link van een helper in.',
    en: "This case cannot have more helpers. Withdraw a helper's link first.",
  },
};

const FALLBACK = {
  client: { nl: 'Dit verzoek kan niet worden verwerkt.', en: 'This request cannot be handled.' },
  server: {
    nl: 'Er ging bij ons iets mis. Probeer het later nog eens.',
    en: 'Something went wrong on our side. Please try again later.',
  },
};

const TITLES: Record<number, { nl: string; en: string }> = {
  404: { nl: 'Niet gevonden', en: 'Not found' },
  410: { nl: 'Link verlopen', en: 'Link expired' },
};

/** A withdrawn link is a 410 too, but it did not expire. */
const TITLE_BY_CODE: Record<string, { nl: string; en: string }> = {
  LINK_REVOKED: { nl: 'Link ingetrokken', en: 'Link withdrawn' },
};

/** The organisation's side failed (the case is FAILED): said with its name, which the error carries. */
function caseFailed(error: AppError): { nl: string; en: string } {
  const org = typeof error.details?.org === 'string' ? error.details.org : undefined;
  return {
    nl: `Er ging aan de kant van ${org ?? 'de organisatie'} iets mis met deze zaak. ${org ?? 'De organisatie'} weet ervan en lost het op. Uw antwoord is niet opgeslagen; probeer het later nog eens.`,
    en: `Something went wrong on the side of ${org ?? 'the organisation'} with this case. ${org ?? 'The organisation'} has been told and is fixing it. Your answer was not saved; please try again later.`,
  };
}

/** A helper's link that the erasure of the case ended, not the person who gave it. */
const LINK_ENDED_BY_ERASURE = {
  nl: 'De gegevens van deze zaak zijn gewist. Daarmee werkt deze link niet meer.',
  en: "This case's data was erased. That ended this link.",
};

function textOf(error: unknown): { nl: string; en: string } | undefined {
  if (!(error instanceof AppError)) return undefined;
  if (error.code === 'CASE_FAILED') return caseFailed(error);
  if (error.code === 'LINK_REVOKED' && error.details?.erased === true) return LINK_ENDED_BY_ERASURE;
  return BY_CODE[error.code];
}

export function errorPage(status: number, error: unknown, root: string, backLink?: string): string {
  const code = error instanceof AppError ? error.code : '';
  const text = textOf(error) ?? (status >= 500 ? FALLBACK.server : FALLBACK.client);
  const title = TITLE_BY_CODE[code] ?? TITLES[status] ?? { nl: 'Dat lukte niet', en: 'That did not work' };
  const back = backLink
    ? `<p class="utrecht-paragraph"><a class="utrecht-link utrecht-link--html-a" href="${esc(backLink)}">Terug naar uw zaak</a> · <a class="utrecht-link utrecht-link--html-a" href="${esc(backLink)}?lang=en" lang="en">Back to your case</a></p>`
    : '';
  return page(
    'nl',
    `${title.nl} / ${title.en}`,
    `<h1 class="utrecht-heading-1">${esc(title.nl)}</h1><p class="utrecht-paragraph">${esc(text.nl)}</p><section lang="en"><h2 class="utrecht-heading-2">${esc(title.en)}</h2><p class="utrecht-paragraph">${esc(text.en)}</p></section>${back}`,
    { root },
  );
}
