// What a refusal means for staff, per error code, in the console's languages. The domain's own messages
// are English and written for API clients; a caseworker reads these (error-page.ts), with the domain's
// message after them only where it adds a detail (which field, which date).

/** A sentence for staff in each of the console's languages. */
export type Text = { nl: string; en: string };

export const STAFF_TEXT: Readonly<Record<string, Text>> = {
  STEP_NOT_OPEN: {
    nl: 'Deze stap wacht niet (meer) op een antwoord: hij is al ingevuld, door u of een collega, of de zaak is verder gegaan. Wat u nu verstuurde is niet opgeslagen. Open de zaak om te zien wat er staat.',
    en: 'This step is not waiting for an answer (any more): it was answered already, by you or a colleague, or the case moved on. What you just sent was not saved. Open the case to see what it holds.',
  },
  // A step that has not opened (yet): one that opens after another step, or of a later stage.
  'STEP_NOT_OPEN:PENDING': {
    nl: 'Deze stap is nog niet aan de beurt, dus er is niets opgeslagen. Open de zaak om te zien waar hij op wacht.',
    en: 'This step has not opened yet, so nothing was saved. Open the case to see what it waits for.',
  },
  TOKEN_EXPIRED: {
    nl: 'Er ging net iets mis. Er is niets opgeslagen; probeer het nog eens.',
    en: 'Something went wrong just now. Nothing was saved; please try again.',
  },
  TOKEN_REJECTED: {
    nl: 'De stap wacht niet meer op dit antwoord. Er is niets opgeslagen. Open de zaak om te zien waar hij staat.',
    en: 'The step is no longer waiting for this answer. Nothing was saved. Open the case to see where it stands.',
  },
  CASE_CLOSED: {
    nl: 'Deze zaak is afgesloten, dus dit kan niet meer.',
    en: 'This case is closed, so this is no longer possible.',
  },
  CASE_ERASED: {
    nl: 'De persoonsgegevens van deze zaak zijn gewist, dus dit kan niet meer.',
    en: "This case's personal data was erased, so this is no longer possible.",
  },
  VALIDATION_FAILED: {
    nl: 'Niet alles is goed ingevuld, dus er is niets opgeslagen. Ga terug, kijk na wat u invulde en probeer het opnieuw.',
    en: 'Not everything was filled in right, so nothing was saved. Go back, check what you entered and try again.',
  },
  PROPOSALS_NOT_OFFERED: {
    nl: 'Voor deze stap kan geen andere datum worden voorgesteld.',
    en: 'No other date can be proposed for this step.',
  },
  PROPOSAL_ALREADY_OPEN: {
    nl: 'Voor deze stap wacht al een voorstel voor een nieuwe datum op antwoord. Beantwoord dat eerst.',
    en: 'A proposed new date for this step is already waiting for an answer. Answer that one first.',
  },
  PROPOSAL_LIMIT_REACHED: {
    nl: 'U hebt voor deze stap al zo vaak een nieuwe datum voorgesteld als de dienst toestaat.',
    en: 'You proposed a new date for this step as often as the service allows.',
  },
  PROPOSAL_ANSWERED: { nl: 'Dit voorstel is al beantwoord.', en: 'This proposal has been answered already.' },
  PROPOSAL_EXPIRED: {
    nl: 'Dit voorstel geldt niet meer: de stap wacht er niet meer op.',
    en: 'This proposal no longer applies: the step is not waiting for it any more.',
  },
  PROPOSAL_BUSY: {
    nl: 'De stap veranderde terwijl u dit verstuurde. Er is niets opgeslagen; probeer het nog eens.',
    en: 'The step changed while you sent this. Nothing was saved; please try again.',
  },
  NOT_YOURS_TO_ANSWER: {
    nl: 'Dit voorstel is van uw organisatie zelf; de burger beantwoordt het.',
    en: "This proposal is your organisation's own; the citizen answers it.",
  },
  REOPEN_NOT_OFFERED: { nl: 'Deze zaak kan niet worden heropend.', en: 'This case cannot be reopened.' },
  REOPEN_WINDOW_CLOSED: {
    nl: 'Deze zaak is te lang geleden afgerond om nog te heropenen. Begin zo nodig een nieuwe zaak.',
    en: 'This case was completed too long ago to be reopened. Start a new case if needed.',
  },
  CASE_NOT_COMPLETED: {
    nl: 'Alleen een afgeronde zaak kan worden heropend.',
    en: 'Only a completed case can be reopened.',
  },
  NOT_FOUND: {
    nl: 'Deze zaak of pagina bestaat niet, of is niet van uw organisatie.',
    en: 'This case or page does not exist, or is not your organisation’s.',
  },
  NOT_YOUR_SERVICE: {
    nl: 'Deze dienst is voor een ander soort organisatie.',
    en: 'This service is for another kind of organisation.',
  },
  CSRF: {
    nl: 'Het formulier is verlopen of niet via de console verstuurd. Open de pagina opnieuw.',
    en: 'The form expired or was not sent from the console. Please open the page again.',
  },
};

/** Codes whose domain message names what to fix (a field, a date): shown after the text, in English. */
export const DETAILED = new Set(['VALIDATION_FAILED']);
