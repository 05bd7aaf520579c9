import { request as assets } from './assets';
import { request as citizenPage } from './citizen-page';
import { answerBody, citizenRequest as citizenProposals, proposalBody } from './proposals';
import { reopenBody } from './reopen-case';
import * as out from './responses';
import { FORM_BODY_ERRORS, failed, form, json, moved, page, type RouteContract } from './route-answers';
import { request as smsInbound, message as smsMessage } from './sms-inbound';
import { stepAnswers } from './submit-step';

// The citizen's side: the page behind their link (or a helper's), its forms and JSON, and SMS in.

export const CITIZEN_ROUTES: Record<string, RouteContract> = {
  'GET /c/assets/{file}': {
    summary: "The citizen pages' stylesheet.",
    request: assets,
    answers: {
      '200': [{ description: 'The stylesheet.', type: 'text/css' }],
      '400': [failed('Not a file name.')],
      '404': [failed('No such file.')],
    },
  },
  'GET /c/{linkToken}': {
    summary: "The citizen's page (HTML), or with `Accept: application/json` the case as JSON.",
    request: citizenPage,
    answers: {
      '200': [page('The page.'), json('The case, for the citizen.', out.citizenCaseWithDelegates)],
      '404': [page('No case for this link.'), failed('No case for this link.')],
      '410': [page('The link expired.'), failed('The link expired.')],
      '400': [page('A bad request.'), failed('A bad request.')],
    },
  },
  'GET /c/{linkToken}/export': {
    summary: 'Everything the case holds about the citizen, as a JSON download (AVG art. 15 and 20).',
    request: citizenPage,
    answers: {
      '200': [json('The export.', out.citizenExport)],
      '403': [
        page('A helper’s link (DELEGATE_LINK).'),
        failed('DELEGATE_LINK: only the citizen’s own link exports.'),
      ],
      '404': [page('No case for this link.'), failed('No case for this link.')],
      '410': [page('The link expired.'), failed('The link expired.')],
      '400': [page('A bad request.'), failed('A bad request.')],
    },
  },
  ...Object.fromEntries(
    [
      ['GET /c/{linkToken}/steps/{stepId}', 'the step form'],
      ['GET /c/{linkToken}/reopen', 'the reopen form'],
      ['GET /c/{linkToken}/delegates', 'the helpers form'],
    ].map(([route, form]) => [
      route,
      {
        summary: `The address ${form} posts to, asked for with GET (a reload, a restored tab): back to the page.`,
        request: citizenPage,
        answers: {
          '303': [moved('To the page (at the step).')],
          '400': [page('A bad request.'), failed('A bad request.')],
        },
      } satisfies RouteContract,
    ]),
  ),
  'POST /c/{linkToken}/steps/{stepId}': {
    summary: "Submits the citizen's step: the page's form (with its `_csrf` value) or JSON `{ data }`.",
    request: citizenPage,
    bodies: { 'application/json': stepAnswers, 'application/x-www-form-urlencoded': form },
    answers: {
      '303': [moved('Saved: back to the page.')],
      '200': [json('Saved (JSON).', out.stepAnswered)],
      '400': [page('The form again, with what to fix.'), failed('Invalid answers.')],
      '403': [
        page('Not this page’s form (CSRF), or not the citizen’s step.'),
        failed('Not the citizen’s step.'),
      ],
      '404': [page('No such case or step.'), failed('No such case or step.')],
      '409': [page('The step is not open.'), failed('The step is not open.')],
      '410': [page('The link expired.'), failed('The link expired.')],
      ...FORM_BODY_ERRORS,
    },
  },
  'POST /c/{linkToken}/reopen': {
    summary:
      "The citizen says a COMPLETED case is not done, within its service's window: the page's form (with its `_csrf` value) or JSON `{ reason }`.",
    request: citizenPage,
    bodies: { 'application/json': reopenBody, 'application/x-www-form-urlencoded': form },
    answers: {
      '303': [moved('Reopened: back to the page.')],
      '200': [json('Reopened (JSON).', out.reopened)],
      '400': [page('No reason given.'), failed('No reason given.')],
      '403': [page('Not this page’s form (CSRF).'), failed('Not this page’s form.')],
      '404': [page('No case for this link.'), failed('No case for this link.')],
      '409': [
        page('Not completed, or the window has closed.'),
        failed('CASE_NOT_COMPLETED, REOPEN_WINDOW_CLOSED, REOPEN_NOT_OFFERED or CASE_ERASED.'),
      ],
      '410': [page('The link expired.'), failed('The link expired.')],
      ...FORM_BODY_ERRORS,
    },
  },
  'POST /c/{linkToken}/steps/{stepId}/proposals': {
    summary:
      'The citizen proposes a new due date for an open step (either partner’s): the page’s form (with its `_csrf` value) or JSON `{ dueAt, reason }`.',
    request: citizenProposals,
    bodies: { 'application/json': proposalBody, 'application/x-www-form-urlencoded': form },
    answers: {
      '303': [moved('Proposed: back to the page.')],
      '201': [json('Proposed (JSON).', out.proposalMade)],
      '400': [page('A day that cannot be proposed, or no reason.'), failed('Invalid proposal.')],
      '403': [page('Not this page’s form (CSRF).'), failed('Not this page’s form.')],
      '404': [page('No such case or step.'), failed('No such case or step.')],
      '409': [
        page('The step is not open, or takes no (more) proposals.'),
        failed(
          'STEP_NOT_OPEN, PROPOSALS_NOT_OFFERED, PROPOSAL_ALREADY_OPEN, PROPOSAL_LIMIT_REACHED or CASE_CLOSED.',
        ),
      ],
      '410': [page('The link expired.'), failed('The link expired.')],
      ...FORM_BODY_ERRORS,
    },
  },
  'POST /c/{linkToken}/proposals/{proposalId}': {
    summary:
      "The citizen answers the provider's proposal: the page's form (accept=true or false, with its `_csrf` value) or JSON `{ accept, note? }`.",
    request: citizenProposals,
    bodies: { 'application/json': answerBody, 'application/x-www-form-urlencoded': form },
    answers: {
      '303': [moved('Answered: back to the page.')],
      '200': [json('Answered (JSON).', out.proposalAnswered)],
      '400': [page('No answer given.'), failed('Invalid answer.')],
      '403': [
        page('Not this page’s form (CSRF), or the citizen’s own proposal.'),
        failed('CSRF, or NOT_YOURS_TO_ANSWER: the citizen’s own proposal.'),
      ],
      '404': [page('No such proposal.'), failed('No such proposal.')],
      '409': [page('Answered before, or its step closed.'), failed('PROPOSAL_ANSWERED or PROPOSAL_EXPIRED.')],
      '410': [page('The link expired.'), failed('The link expired.')],
      ...FORM_BODY_ERRORS,
    },
  },
  'POST /sms/inbound': {
    summary:
      "Twilio's webhook (with smsProvider twilio; the local runtime answers it for either provider). Signed with X-Twilio-Signature; every message it can read or not gets 200 TwiML, a copy of one it saw gets a neutral reply and changes nothing.",
    request: smsInbound,
    bodies: { 'application/x-www-form-urlencoded': smsMessage },
    answers: {
      '200': [{ description: 'The reply, as TwiML.', type: 'text/xml' }],
      '400': [failed('A header sent twice.')],
      '403': [failed('No or a wrong signature.')],
      '415': [failed('Not a form.')],
    },
  },
};
