import { engine } from '../adapters/engine';
import { notifier } from '../adapters/notifier';
import { reportTally as tally } from '../adapters/report-tally';
import { processingLog, reopener, repository } from '../adapters/repository';
import { request } from '../contract/citizen-page';
import { delegateStore } from '../delegation/store';
import { systemClock } from '../domain/clock';
import { httpRoute } from '../shared/http';
import { publicUrl } from '../shared/settings';
import { vault } from '../shared/vault';
import { BACK_TO_PAGE_ROUTES, backToPage } from '../web/back-to-page';
import { ADD_DELEGATE_ROUTE, delegates, REVOKE_DELEGATE_ROUTES } from '../web/delegate-routes';
import type { CitizenWebDeps } from '../web/deps';
import { EXPORT_ROUTE, exportCase } from '../web/export-route';
import { citizenErrors } from '../web/forms';
import { renderCase } from '../web/page-route';
import { REOPEN_ROUTE, reopen } from '../web/reopen-route';
import { submit } from '../web/submit-route';

// GET /c/{linkToken}, GET /c/{linkToken}/export, POST /c/{linkToken}/steps/{stepId}, POST
// /c/{linkToken}/reopen and the delegates' routes: the citizen's page, the download of everything the
// case holds about them, their answers, "it is not done" on a completed case, and the helpers they hand
// steps to (functions/web/, one module per route). The link token is the only credential and opens this
// one case, as the citizen or as one of their delegates, who sees and answers only what was handed over;
// forms carry a CSRF value derived from the token. A GET of a form's address leads back to the page
// (back-to-page.ts).

const deps: CitizenWebDeps = {
  repo: repository,
  delegates: delegateStore,
  engine,
  clock: systemClock,
  vault,
  tally,
  log: processingLog,
  reopener,
  notifier,
  publicUrl,
};

export const handler = httpRoute(
  request,
  (input, event) => {
    if (event.routeKey === REOPEN_ROUTE) return reopen(deps, input, event);
    if (event.routeKey === ADD_DELEGATE_ROUTE || REVOKE_DELEGATE_ROUTES.includes(event.routeKey))
      return delegates(deps, input, event);
    if (event.requestContext.http.method === 'POST') return submit(deps, input, event);
    if (event.routeKey === EXPORT_ROUTE) return exportCase(deps, input);
    if (BACK_TO_PAGE_ROUTES.includes(event.routeKey)) return backToPage(deps, input);
    return renderCase(deps, input, 200, { event });
  },
  citizenErrors(publicUrl),
);
