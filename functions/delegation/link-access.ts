import { linkOfToken } from '../domain/access';
import type { CaseRepository, Clock } from '../domain/ports';
import { ForbiddenError, LinkExpiredError, LinkRevokedError, NotFoundError } from '../shared/errors';
import { type Asker, covers, type DelegateRecord, type DelegateStore } from './model';

// Who is asking through a citizen link: the citizen, or one of their delegates. The link item says
// which (access.ts, one lookup for both); a delegate's own record then decides, read consistently, so
// a revocation holds from the very next request. What a delegate may not do is refused here, with one
// code (DELEGATE_LINK), so every route says it the same way.

export interface LinkAccess {
  caseId: string;
  asker: Asker;
}

export async function whoAsks(
  repo: CaseRepository,
  delegates: Pick<DelegateStore, 'getDelegate'>,
  clock: Clock,
  token: string,
): Promise<LinkAccess> {
  const link = await linkOfToken(repo, clock, token);
  if (link.delegateId === undefined) return { caseId: link.caseId, asker: { kind: 'citizen' } };
  const delegate = await delegates.getDelegate(link.caseId, link.delegateId);
  if (!delegate) throw new NotFoundError('There is no case for this link.');
  // Ended by an erasure rather than by the citizen: said so (the case is read for the refusal only).
  if (delegate.revokedAt !== undefined)
    throw new LinkRevokedError((await repo.getCase(link.caseId))?.erased !== undefined);
  if (Date.parse(delegate.expiresAt) < clock.now().getTime()) throw new LinkExpiredError();
  return { caseId: link.caseId, asker: { kind: 'delegate', delegate } };
}

/** The citizen's own link only: a helper cannot add helpers, export, erase or reopen. */
export function citizenOnly(asker: Asker): void {
  if (asker.kind === 'delegate')
    throw new ForbiddenError(
      'Only the citizen’s own link can do this, not a helper’s link.',
      undefined,
      'DELEGATE_LINK',
    );
}

/** A delegate answers only the steps handed to them. */
export function mayAnswer(asker: Asker, stepId: string): DelegateRecord | undefined {
  if (asker.kind === 'citizen') return undefined;
  if (!covers(asker.delegate, stepId))
    throw new ForbiddenError(
      `Step '${stepId}' was not handed to you; only the citizen can answer it.`,
      { stepId },
      'NOT_DELEGATED',
    );
  return asker.delegate;
}
