import { type LinkAccess, whoAsks } from '../delegation/link-access';
import { requireService } from '../domain/definitions';
import type { ProcessingRead } from '../domain/ports';
import { LinkExpiredError, NotFoundError } from '../shared/errors';
import type { CitizenWebDeps } from './deps';

// The case a citizen's link opens, and who holds the link: the citizen or one of their helpers. The
// link token is the only credential; an unknown one is a 404 like a missing case, so tokens cannot be
// probed.

/** Who holds the link (the link item alone: the routes that do not show the case need no more). */
export const access = (deps: CitizenWebDeps, token: string): Promise<LinkAccess> =>
  whoAsks(deps.repo, deps.delegates, deps.clock, token);

/** The whole case the link opens, for the routes that show it or hand it over ('all' of its log). */
export async function loadCase(deps: CitizenWebDeps, token: string, processing?: ProcessingRead) {
  const link = await access(deps, token);
  const view = await deps.repo.getCaseView(link.caseId, processing);
  if (!view) throw new NotFoundError('There is no case for this link.');
  if (Date.parse(view.case.linkExpiresAt) < deps.clock.now().getTime()) throw new LinkExpiredError();
  return { view, link, service: requireService(view.case.serviceId) };
}
