import { sameSecret } from '../domain/pii';
import { ForbiddenError, NotFoundError } from '../shared/errors';
import { cancel, erase, redrive, reopen, start, submit } from './actions';
import { currentSession, finishLogin, logout, signedOut, startLogin, toLogin } from './auth';
import { processingLogPage } from './case-processing';
import { answerDate, proposeDate } from './case-proposals';
import { type Ctx, render, serviceFor } from './context';
import { basePath, type ConsoleDeps, type ConsoleRequest, type ConsoleResult } from './deps';
import { homeBody } from './list-page';
import { casePage, chartPage, listPage, startPage } from './pages';
import { reportPage } from './report-routes';
import { returnPath } from './return-path';
import { roundPage, roundsPage } from './round-routes';
import { csrfToken } from './session';

// The console's routes below /console. Every page but sign-in (and signed-out) needs a live session,
// which the server holds (a sign-out ends it); every POST a CSRF token bound to it. Staff reach only their organisation's cases and their kind's services.

const SEG = '([A-Za-z0-9_-]{1,64})';
const route = (pattern: string) => new RegExp(`^${pattern.replaceAll(':id', SEG)}$`);
const R = {
  list: route('/services/:id'),
  fresh: route('/services/:id/new'),
  create: route('/services/:id/cases'),
  chart: route('/services/:id/chart'),
  rounds: route('/services/:id/rounds'),
  round: route('/rounds/:id'),
  case: route('/cases/:id'),
  processing: route('/cases/:id/processing'),
  step: route('/cases/:id/steps/:id'),
  cancel: route('/cases/:id/cancel'),
  redrive: route('/cases/:id/redrive'),
  erase: route('/cases/:id/erase'),
  reopen: route('/cases/:id/reopen'),
  report: route('/services/:id/report'),
  propose: route('/cases/:id/steps/:id/proposals'),
  answer: route('/cases/:id/proposals/:id'),
};

export async function consoleApp(deps: ConsoleDeps, req: ConsoleRequest): Promise<ConsoleResult> {
  const { method, rel } = req;
  if (method === 'GET' && rel === '/login') return startLogin(deps, req.query.next);
  if (method === 'GET' && rel === '/callback') return finishLogin(deps, req);
  if (method === 'GET' && rel === '/signed-out') return signedOut(deps, req);
  const session = await currentSession(deps, req);
  if (!session) return toLogin(deps, returnPath(method, rel, req.query));
  const ctx: Ctx = { deps, req, session, csrf: csrfToken(deps.vault, session) };
  if (method === 'POST') {
    const sent = req.body._csrf;
    if (typeof sent !== 'string' || !sameSecret(sent, ctx.csrf))
      throw new ForbiddenError(
        'The form did not come from this console; open the page again.',
        undefined,
        'CSRF',
      );
    if (rel === '/logout') return logout(deps, session);
    let m = R.create.exec(rel);
    if (m) return start(ctx, serviceFor(ctx, m[1] as string));
    m = R.step.exec(rel);
    if (m) return submit(ctx, m[1] as string, m[2] as string);
    m = R.cancel.exec(rel);
    if (m) return cancel(ctx, m[1] as string);
    m = R.redrive.exec(rel);
    if (m) return redrive(ctx, m[1] as string);
    m = R.erase.exec(rel);
    if (m) return erase(ctx, m[1] as string);
    m = R.reopen.exec(rel);
    if (m) return reopen(ctx, m[1] as string);
    m = R.propose.exec(rel);
    if (m) return proposeDate(ctx, m[1] as string, m[2] as string);
    m = R.answer.exec(rel);
    if (m) return answerDate(ctx, m[1] as string, m[2] as string);
  } else if (method === 'GET') {
    if (rel === '' || rel === '/') {
      const mine = deps.services.filter((s) => s.providerKind === session.orgKind);
      return render(ctx, 200, WORDS_TITLE[req.locale], homeBody(mine, basePath(deps), req.locale), '');
    }
    let m = R.list.exec(rel);
    if (m) return listPage(ctx, serviceFor(ctx, m[1] as string));
    m = R.fresh.exec(rel);
    if (m) return startPage(ctx, serviceFor(ctx, m[1] as string));
    m = R.chart.exec(rel);
    if (m) return chartPage(ctx, serviceFor(ctx, m[1] as string));
    m = R.case.exec(rel);
    if (m) return casePage(ctx, m[1] as string);
    m = R.processing.exec(rel);
    if (m) return processingLogPage(ctx, m[1] as string);
    m = R.rounds.exec(rel);
    if (m) return roundsPage(ctx, serviceFor(ctx, m[1] as string));
    m = R.round.exec(rel);
    if (m) return roundPage(ctx, m[1] as string);
    m = R.report.exec(rel);
    if (m) return reportPage(ctx, serviceFor(ctx, m[1] as string));
  }
  throw new NotFoundError('There is no such page.');
}

const WORDS_TITLE = { nl: 'Diensten', en: 'Services' } as const;
