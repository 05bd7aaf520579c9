import * as z from 'zod/mini';
import { delegateBody } from '../delegation/contract';
import { request as assets } from './assets';
import { request as cancelCase } from './cancel-case';
import { request as citizenPage } from './citizen-page';
import { request as consoleRoutes } from './console';
import { request as createCase } from './create-case';
import { request as createRound } from './create-round';
import { request as eraseCase } from './erase-case';
import { request as getCase } from './get-case';
import { request as getRound } from './get-round';
import { request as listCases } from './list-cases';
import { request as openapi } from './openapi';
import {
  answerBody,
  request as caseProposals,
  citizenRequest as citizenProposals,
  proposalBody,
} from './proposals';
import { request as redriveCase } from './redrive-case';
import { reopenBody, request as reopenCase } from './reopen-case';
import * as out from './responses';
import { request as serviceReport } from './service-report';
import { request as services } from './services';
import { request as smsInbound, message as smsMessage } from './sms-inbound';
import { request as startRound } from './start-round';
import { stepAnswers, request as submitStep } from './submit-step';

// Per route of the function manifest (`<METHOD> <path>`): the request schema its handler parses (the
// edge), the bodies it takes where the edge leaves them to the domain, and what it answers. document.ts
// turns this into OpenAPI 3.1; a test holds it to the manifest (every route, no other).

/** One kind of answer: JSON of a schema, or a page, TwiML, a stylesheet, a redirect. */
export type Answer =
  | { description: string; json: z.ZodMiniType }
  | { description: string; type: 'text/html' | 'text/xml' | 'text/css' | 'text/csv' }
  | { description: string; redirect: true };

export interface RouteContract {
  summary: string;
  request: z.ZodMiniObject;
  /** The bodies by media type, where the request schema takes `body` as unknown (the domain checks it). */
  bodies?: Partial<Record<'application/json' | 'application/x-www-form-urlencoded', z.ZodMiniType>>;
  /** By status; several answers of one status are several media types (a page or its JSON). */
  answers: Record<string, Answer[]>;
}

const json = (description: string, schema: z.ZodMiniType): Answer => ({ description, json: schema });
const page = (description: string): Answer => ({ description, type: 'text/html' });
const moved = (description: string): Answer => ({ description, redirect: true });
const failed = (description: string) => json(description, out.errorBody);
const form = z.record(z.string(), z.string());

/** What every JSON route of the API may answer besides its own success. */
const API_ERRORS: Record<string, Answer[]> = {
  '400': [failed('The request does not match this contract; `details.fields` names what failed.')],
  '404': [failed('No such resource, or one the caller may not reach (they look alike).')],
  '413': [failed('The body is larger than 64 KiB.')],
  '415': [failed('A body of another media type than the route takes.')],
};
const STAFF_ERRORS: Record<string, Answer[]> = {
  ...API_ERRORS,
  '401': [
    json('API Gateway refused the token (missing, expired, another issuer).', out.gatewayError),
    failed('The token names no organisation (custom:org).'),
  ],
  '403': [failed('The token names no valid organisation kind, or one this action is not for.')],
};

export const ROUTES: Record<string, RouteContract> = {
  'GET /openapi.json': {
    summary: 'This contract, OpenAPI 3.1, generated from the request schemas the handlers parse.',
    request: openapi,
    answers: { '200': [json('The OpenAPI document.', out.openApi)] },
  },
  'GET /services': {
    summary: 'The service catalogue: stages and steps of both partners, with their forms.',
    request: services,
    answers: { '200': [json('The catalogue.', out.catalogue)] },
  },
  'GET /c/assets/{file}': {
    summary: "The citizen pages' stylesheet.",
    request: assets,
    answers: {
      '200': [{ description: 'The stylesheet.', type: 'text/css' }],
      '400': [failed('Not a file name.')],
      '404': [failed('No such file.')],
    },
  },
  'POST /cases': {
    summary:
      'Starts a case. The citizen needs a Dutch mobile number or an e-mail address, unless `handover` is `in-person` (the caseworker hands the link over). Idempotency-Key (once) makes a retry land on the same case.',
    request: createCase,
    answers: {
      '201': [json('Created.', out.createdCase)],
      '200': [
        json('The same request again (same Idempotency-Key and body): the same case.', out.createdCase),
      ],
      '409': [failed('IDEMPOTENCY_KEY_REUSED: the key was used for another body.')],
      ...STAFF_ERRORS,
    },
  },
  'GET /cases': {
    summary:
      "The caller's organisation's cases of one service, newest first; every case once, also while cases change. `cursor` is opaque and belongs to its query.",
    request: listCases,
    answers: { '200': [json('A page of cases.', out.caseList)], ...STAFF_ERRORS },
  },
  'GET /cases/{caseId}': {
    summary: 'One case with every step of both partners.',
    request: getCase,
    answers: { '200': [json('The case.', out.providerCase)], ...STAFF_ERRORS },
  },
  'POST /cases/{caseId}/cancel': {
    summary: 'Stops the case for good; the reason is kept.',
    request: cancelCase,
    answers: {
      '200': [json('Cancelled.', out.cancelled)],
      '409': [failed('CASE_CLOSED: it already ended.')],
      ...STAFF_ERRORS,
    },
  },
  'POST /cases/{caseId}/erase': {
    summary:
      "Erases the case's personal data (its data key goes); a running case stops. The reason is in the processing log.",
    request: eraseCase,
    answers: {
      '200': [json('Erased (again: unchanged).', out.erasedCase)],
      ...STAFF_ERRORS,
    },
  },
  'POST /cases/{caseId}/redrive': {
    summary: 'Resumes a FAILED case from the states that failed.',
    request: redriveCase,
    answers: {
      '200': [json('Active again.', out.redriven)],
      '409': [failed('CASE_NOT_FAILED, or NOT_REDRIVABLE.')],
      ...STAFF_ERRORS,
    },
  },
  'POST /cases/{caseId}/reopen': {
    summary:
      '"It is not done": reopens a COMPLETED case within its service\'s window, at the stage the service names, with a reason both partners see.',
    request: reopenCase,
    answers: {
      '200': [json('Active again, at the stage named.', out.reopened)],
      '409': [failed('CASE_NOT_COMPLETED, REOPEN_WINDOW_CLOSED, REOPEN_NOT_OFFERED or CASE_ERASED.')],
      ...STAFF_ERRORS,
    },
  },
  'POST /cases/{caseId}/steps/{stepId}': {
    summary: "Submits one of the provider's steps; `data` is checked against the step's form.",
    request: submitStep,
    bodies: { 'application/json': stepAnswers, 'application/x-www-form-urlencoded': form },
    answers: {
      '200': [json('Saved; the case moves on when both partners are done.', out.stepAnswered)],
      '409': [failed('The step is not open, the case ended or failed, or the answer came just too late.')],
      ...STAFF_ERRORS,
    },
  },
  'POST /cases/{caseId}/steps/{stepId}/proposals': {
    summary:
      'Proposes a new due date for an open step (either partner’s) with a reason; the citizen answers it (on their page or by SMS).',
    request: caseProposals,
    bodies: { 'application/json': proposalBody },
    answers: {
      '201': [json('Proposed: it waits for the citizen’s answer.', out.proposalMade)],
      '409': [
        failed(
          'STEP_NOT_OPEN, PROPOSALS_NOT_OFFERED, PROPOSAL_ALREADY_OPEN, PROPOSAL_LIMIT_REACHED, CASE_CLOSED or CASE_ERASED.',
        ),
      ],
      ...STAFF_ERRORS,
    },
  },
  'POST /cases/{caseId}/proposals/{proposalId}': {
    summary:
      'Answers the citizen’s proposal: accepted, the step’s due date, reminders, escalation and expiry move by the same shift.',
    request: caseProposals,
    bodies: { 'application/json': answerBody },
    answers: {
      '200': [json('Answered.', out.proposalAnswered)],
      '409': [
        failed('PROPOSAL_ANSWERED (answered before), PROPOSAL_EXPIRED (its step closed) or CASE_ERASED.'),
      ],
      ...STAFF_ERRORS,
      '403': [
        failed(
          'NOT_YOURS_TO_ANSWER (the organisation’s own proposal), or the token names no valid organisation kind.',
        ),
      ],
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
      '413': [page('Too large.'), failed('Too large.')],
      '415': [page('Another media type.'), failed('Another media type.')],
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
      '413': [page('Too large.'), failed('Too large.')],
      '415': [page('Another media type.'), failed('Another media type.')],
    },
  },
  'POST /c/{linkToken}/delegates': {
    summary:
      "The citizen hands steps (or `all`, the whole case) to someone who helps them, with a link of their own that expires: the page's form (with its `_csrf` value) or JSON `{ name, steps, expiresAt? }`. The citizen's own link only.",
    request: citizenPage,
    bodies: { 'application/json': delegateBody, 'application/x-www-form-urlencoded': form },
    answers: {
      '201': [
        json('The helper and their link (shown this once).', out.delegateAdded),
        page('The page, with the link.'),
      ],
      '400': [
        page('A bad name, step or date.'),
        failed('A bad name, step or date; `details.fields` names it.'),
      ],
      '403': [
        page('Not this page’s form (CSRF), or a helper’s link.'),
        failed('DELEGATE_LINK: a helper cannot add helpers; or CSRF.'),
      ],
      '404': [page('No case for this link.'), failed('No case for this link.')],
      '409': [
        page('Too many helpers, or the case ended.'),
        failed('DELEGATE_LIMIT, CASE_CLOSED, CASE_ERASED or DELEGATES_BUSY.'),
      ],
      '410': [page('The link expired or was withdrawn.'), failed('LINK_EXPIRED or LINK_REVOKED.')],
      '413': [page('Too large.'), failed('Too large.')],
      '415': [page('Another media type.'), failed('Another media type.')],
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
      '413': [page('Too large.'), failed('Too large.')],
      '415': [page('Another media type.'), failed('Another media type.')],
    },
  },
  'DELETE /c/{linkToken}/delegates/{delegateId}': {
    summary: "Withdraws a helper's link at once. The citizen's own link only.",
    request: citizenPage,
    answers: {
      '200': [json('Withdrawn.', out.delegateRevoked)],
      '400': [failed('Not a helper id.')],
      '403': [failed('DELEGATE_LINK: a helper cannot withdraw links.')],
      '404': [failed('No case for this link, or no such helper.')],
      '409': [failed('DELEGATE_REVOKED: withdrawn already.')],
      '410': [failed('LINK_EXPIRED or LINK_REVOKED.')],
      '413': [failed('Too large.')],
      '415': [failed('Another media type.')],
    },
  },
  'POST /c/{linkToken}/delegates/{delegateId}/revoke': {
    summary:
      "The page's form that withdraws a helper's link (with its `_csrf` value); JSON clients use DELETE.",
    request: citizenPage,
    bodies: { 'application/x-www-form-urlencoded': form },
    answers: {
      '303': [moved('Withdrawn: back to the page.')],
      '200': [json('Withdrawn (JSON).', out.delegateRevoked)],
      '400': [page('Not a helper id.'), failed('Not a helper id.')],
      '403': [page('Not this page’s form (CSRF), or a helper’s link.'), failed('DELEGATE_LINK or CSRF.')],
      '404': [page('No such case or helper.'), failed('No such case or helper.')],
      '409': [page('Withdrawn already.'), failed('DELEGATE_REVOKED.')],
      '410': [page('The link expired or was withdrawn.'), failed('LINK_EXPIRED or LINK_REVOKED.')],
      '413': [page('Too large.'), failed('Too large.')],
      '415': [page('Another media type.'), failed('Another media type.')],
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
      '413': [page('Too large.'), failed('Too large.')],
      '415': [page('Another media type.'), failed('Another media type.')],
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
  'GET /console': {
    summary: 'The caseworker console (HTML), behind its own session.',
    request: consoleRoutes,
    answers: { '200': [page('The console.')], '302': [moved('Sign in first.')] },
  },
  'GET /console/{proxy+}': {
    summary: "The console's pages; /console/login and /console/signed-out need no session.",
    request: consoleRoutes,
    answers: {
      '200': [
        page('A page.'),
        {
          description: 'A service report as CSV (/console/services/{id}/report?format=csv).',
          type: 'text/csv',
        },
      ],
      '302': [moved('Sign in first, or on to the managed login.')],
      '303': [moved('Signed in.')],
      '400': [page('A bad request.')],
      '404': [page('No such page, or one the staff member may not reach.')],
    },
  },
  'POST /console/{proxy+}': {
    summary: "The console's forms, each with the session's CSRF token.",
    request: consoleRoutes,
    bodies: { 'application/x-www-form-urlencoded': form },
    answers: {
      '303': [moved('Done: on to the result, or to the managed login’s sign-out.')],
      '302': [moved('Sign in first.')],
      '400': [page('The form again, with what to fix.')],
      '403': [page('Not this session’s form (CSRF).')],
      '404': [page('No such page, or one the staff member may not reach.')],
      '409': [page('Not possible in this state.')],
    },
  },
  'POST /rounds': {
    summary: 'Creates a round (or finds it again by name) and gives a URL to PUT the CSV file to.',
    request: createRound,
    answers: {
      '201': [json('Created.', out.createdRound)],
      '200': [json('The same round again, with a fresh upload URL.', out.createdRound)],
      '409': [failed('The round runs, or was created with another onInvalid.')],
      ...STAFF_ERRORS,
    },
  },
  'POST /rounds/{roundId}/start': {
    summary: 'Checks the uploaded file and starts its cases in the round machine.',
    request: startRound,
    answers: {
      '202': [json('Validating.', out.startedRound)],
      '409': [failed('No file uploaded yet, or the round runs.')],
      ...STAFF_ERRORS,
    },
  },
  'GET /rounds/{roundId}': {
    summary: "A round's progress, with its first row errors and failures.",
    request: getRound,
    answers: { '200': [json('The round.', out.round)], ...STAFF_ERRORS },
  },
  'GET /services/{serviceId}/report': {
    summary:
      "Who waits on whom in the caller's organisation's cases of a service: per stage and side the median and 90th percentile waiting, overdue steps, reminders and feedback, from running aggregates. `format=csv` (or Accept: text/csv) gives CSV.",
    request: serviceReport,
    answers: {
      '200': [
        json('The report.', out.serviceReport),
        { description: 'The report as CSV.', type: 'text/csv' },
      ],
      ...STAFF_ERRORS,
      '403': [failed('A service of another kind of organisation (NOT_YOUR_SERVICE), or no valid kind.')],
    },
  },
};
