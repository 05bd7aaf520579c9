import { request as cancelCase } from './cancel-case';
import { request as caseProcessing } from './case-processing';
import { request as createCase } from './create-case';
import { request as createRound } from './create-round';
import { request as eraseCase } from './erase-case';
import { request as getCase } from './get-case';
import { request as getRound } from './get-round';
import { request as listCases } from './list-cases';
import { request as openapi } from './openapi';
import { answerBody, request as caseProposals, proposalBody } from './proposals';
import { request as redriveCase } from './redrive-case';
import { request as reopenCase } from './reopen-case';
import * as out from './responses';
import { failed, form, json, type RouteContract, STAFF_ERRORS } from './route-answers';
import { request as serviceReport } from './service-report';
import { request as services } from './services';
import { request as startRound } from './start-round';
import { stepAnswers, request as submitStep } from './submit-step';

// The staff API (JSON, a Cognito token): the catalogue, cases, rounds and the service report.

export const API_ROUTES: Record<string, RouteContract> = {
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
    summary:
      'One case with every step of both partners; the read is in its processing log. `view=status`: statuses and timings only, nothing personal and so no logged read (for a system that polls the case).',
    request: getCase,
    answers: {
      '200': [
        json('The case.', out.providerCase),
        json('With `view=status`: where the case and each step stand.', out.caseStatus),
      ],
      ...STAFF_ERRORS,
    },
  },
  'GET /cases/{caseId}/processing': {
    summary:
      "The case's whole processing log, newest first, 100 lines a page, with who and the trace: `GET /cases/{caseId}` holds the newest lines only. `cursor` is opaque and belongs to this case's log; reading the log is not itself in it.",
    request: caseProcessing,
    answers: { '200': [json('A page of the log.', out.processingPage)], ...STAFF_ERRORS },
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
