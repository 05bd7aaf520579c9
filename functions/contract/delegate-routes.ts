import { delegateBody } from '../delegation/contract';
import { request as citizenPage } from './citizen-page';
import * as out from './responses';
import { FORM_BODY_ERRORS, failed, form, json, moved, page, type RouteContract } from './route-answers';

// The citizen's helpers: a link of their own for some steps, added and withdrawn by the citizen only.

export const DELEGATE_ROUTES: Record<string, RouteContract> = {
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
      ...FORM_BODY_ERRORS,
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
      ...FORM_BODY_ERRORS,
    },
  },
};
