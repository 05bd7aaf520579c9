import type { Service } from '../../workflows/schema';
import { caseOfProvider } from '../domain/access';
import { logReads } from '../domain/case-reads';
import { requireService } from '../domain/definitions';
import { freshTrace, type Staff } from '../domain/processing-log';
import { caseDto } from '../domain/views';
import { NotFoundError } from '../shared/errors';
import { html } from '../shared/http';
import { basePath, type ConsoleDeps, type ConsoleRequest, type ConsoleResult } from './deps';
import { consolePage } from './layout';
import { withQuery } from './pager';
import { providerOfSession, type Session } from './session';

// What every signed-in console request shares: the session, its CSRF token, and the two access
// rules (own organisation's cases, own kind's services), each failing as a plain 404.

export type Ctx = { deps: ConsoleDeps; req: ConsoleRequest; session: Session; csrf: string };

/** The signed-in staff member within this request: who a processing log record names. */
export function staffOf(ctx: Ctx): Staff {
  return { provider: providerOfSession(ctx.session), trace: ctx.req.trace ?? freshTrace() };
}

export function render(
  ctx: Ctx,
  status: number,
  title: string,
  body: string,
  self: string,
  head?: string,
): ConsoleResult {
  const { deps, req, session, csrf } = ctx;
  const base = basePath(deps);
  // The other language shows the same page: its filters, range and page of a list (a one-time notice
  // not again). A POST's answer switches to the page it was posted from.
  const kept = Object.entries(req.method === 'GET' ? req.query : {}).filter(
    ([key]) => key !== 'lang' && key !== 'notice',
  );
  return html(
    status,
    consolePage({
      locale: req.locale,
      title,
      base,
      self: withQuery(`${base}${self}`, Object.fromEntries(kept)),
      session,
      csrf,
      body,
      ...(head && { head }),
    }),
    {
      'content-language': req.locale,
    },
  );
}

export function serviceFor(ctx: Ctx, id: string): Service {
  const service = ctx.deps.services.find((s) => s.id === id);
  // Another kind's service looks exactly like a missing one.
  if (!service || service.providerKind !== ctx.session.orgKind)
    throw new NotFoundError(`There is no service '${id}'.`, { serviceId: id });
  return service;
}

/** A case of the staff's organisation, opened; the read is logged before the page is built. */
export async function loadCase(ctx: Ctx, caseId: string) {
  await caseOfProvider(ctx.deps.repo, caseId, providerOfSession(ctx.session));
  const view = await ctx.deps.repo.getCaseView(caseId);
  if (!view) throw new NotFoundError('There is no such case.', { caseId });
  const service = requireService(view.case.serviceId);
  const dto = caseDto(service, view, 'provider', ctx.deps.vault);
  await logReads(ctx.deps, staffOf(ctx), [dto]);
  return { service, dto };
}
