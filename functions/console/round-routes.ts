import type { Service } from '../../workflows/schema';
import { getRound, listRounds, roundSpread } from '../rounds/rounds';
import { openCursor, roundsScope, sealCursor } from '../shared/cursor';
import { NotFoundError } from '../shared/errors';
import { type Ctx, render, serviceFor } from './context';
import { basePath } from './deps';
import { roundsBody } from './round-list-page';
import { roundAutoRefresh, roundBody } from './round-page';
import { ROUND_WORDS } from './round-text';
import { providerOfSession } from './session';

// The console's round pages, read only: a service's rounds and one round. Starting a round is the
// CLI's or the API's job; the domain decides what staff may see (their organisation's rounds).

/** Row errors and failures shown on the round page (the API shows the same first 100). */
const REPORT_ROWS = 100;

export async function roundsPage(ctx: Ctx, service: Service) {
  const cursor = ctx.req.query.cursor;
  const provider = providerOfSession(ctx.session);
  const scope = roundsScope(provider.org, service.id);
  const after = cursor ? openCursor(ctx.deps.vault, scope, cursor) : undefined;
  const page = await listRounds(ctx.deps, provider, service.id, after);
  const body = roundsBody({
    service,
    locale: ctx.req.locale,
    base: basePath(ctx.deps),
    rounds: page.items,
    paged: Boolean(cursor),
    ...(page.next && { cursor: sealCursor(ctx.deps.vault, scope, page.next) }),
  });
  const title = `${ROUND_WORDS[ctx.req.locale].rounds}: ${service.title[ctx.req.locale]}`;
  return render(ctx, 200, title, body, `/services/${service.id}/rounds`);
}

export async function roundPage(ctx: Ctx, roundId: string) {
  const provider = providerOfSession(ctx.session);
  const view = await getRound(ctx.deps, provider, roundId, REPORT_ROWS);
  let service: Service;
  try {
    service = serviceFor(ctx, view.round.serviceId);
  } catch {
    // A round of a service this console does not offer looks like a missing round.
    throw new NotFoundError('There is no such round.', { roundId });
  }
  const { status, started } = view.round;
  const showSpread = status === 'STARTED' || (status === 'FAILED' && started > 0);
  const spread = showSpread ? await roundSpread(ctx.deps, provider, roundId) : undefined;
  const input = {
    view,
    service,
    locale: ctx.req.locale,
    base: basePath(ctx.deps),
    auto: ctx.req.query.auto === '1',
    ...(spread && { spread }),
  };
  const self = `/rounds/${roundId}`;
  const body = roundBody(input, `${basePath(ctx.deps)}${self}`);
  const head = roundAutoRefresh(input) ? '<meta http-equiv="refresh" content="3">' : undefined;
  const title = `${ROUND_WORDS[ctx.req.locale].round}: ${view.round.name}`;
  return render(ctx, 200, title, body, self, head);
}
