import * as z from 'zod/mini';
import { findService } from '../../workflows/catalog';
import {
  ForbiddenError,
  LinkExpiredError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
} from '../shared/errors';
import { type CaseRecord, ORG_KINDS, type Provider } from './model';
import { sha256 } from './pii';
import type { CaseRepository, Clock } from './ports';

// Who may touch a case. Staff act for the organisation and the organisation kind in their token. The
// one access rule (API and console alike): staff reach a case, or a round, only of their own
// organisation and of a service their kind provides. Anything else answers 404 exactly like a missing
// one, so ids cannot be probed.

const orgKind = z.enum(ORG_KINDS);

export function providerOf(claims: Record<string, unknown>): Provider {
  const org = claims['custom:org'];
  if (typeof org !== 'string' || org.trim() === '')
    throw new UnauthenticatedError('Sign in as staff of an organisation.');
  const kind = orgKind.safeParse(claims['custom:orgKind']);
  if (!kind.success) {
    throw new ForbiddenError('Your account has no valid organisation kind (custom:orgKind).', {
      allowed: [...ORG_KINDS],
    });
  }
  const who =
    [claims.sub, claims.email].find((v): v is string => typeof v === 'string' && v !== '') ?? 'unknown';
  return { org, orgKind: kind.data, who };
}

/** The access rule itself: the subject's organisation is the provider's, its service is for their kind. */
export function reaches(
  provider: Pick<Provider, 'org' | 'orgKind'>,
  subject: { org: string; serviceId: string },
): boolean {
  return subject.org === provider.org && findService(subject.serviceId)?.providerKind === provider.orgKind;
}

/** The case, when the provider may reach it; else a 404 like a missing case. */
export async function caseOfProvider(
  repo: Pick<CaseRepository, 'getCase'>,
  caseId: string,
  provider: Pick<Provider, 'org' | 'orgKind'>,
): Promise<CaseRecord> {
  const record = await repo.getCase(caseId);
  if (!record || !reaches(provider, record)) throw new NotFoundError('There is no such case.', { caseId });
  return record;
}

/**
 * A service the provider's kind provides, named in a request; another kind's is refused like a missing
 * one, in words true of both (GET /services lists every service: 'there is no service' would not be).
 */
export function serviceOfProvider(
  serviceId: string,
  provider: Pick<Provider, 'orgKind'>,
  field = 'serviceId',
) {
  const service = findService(serviceId);
  if (!service || service.providerKind !== provider.orgKind)
    throw new ValidationError(`Your kind of organisation provides no service '${serviceId}'.`, {
      fields: { [field]: 'Unknown service.' },
    });
  return service;
}

const LINK_TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

/** A link as stored: the case it opens, and the delegate it was made for (a delegate link, delegation/). */
export interface CaseLink {
  caseId: string;
  delegateId?: string;
}

/**
 * The case a link opens, and for whom. Only the token's hash is stored; an expired link is a 410. The
 * citizen's link and a delegate's link are stored and looked up alike: one mechanism for both.
 */
export async function linkOfToken(repo: CaseRepository, clock: Clock, token: string): Promise<CaseLink> {
  const link = LINK_TOKEN.test(token) ? await repo.caseIdForLink(sha256(token)) : undefined;
  if (!link) throw new NotFoundError('There is no case for this link.');
  if (Date.parse(link.expiresAt) < clock.now().getTime()) throw new LinkExpiredError();
  return { caseId: link.caseId, ...(link.delegateId !== undefined && { delegateId: link.delegateId }) };
}

/**
 * The case the citizen's own link opens. A delegate's link is refused here (403): what a route does not
 * scope for delegates (delegation/link-access.ts) stays the citizen's alone.
 */
export async function caseIdForLinkToken(repo: CaseRepository, clock: Clock, token: string): Promise<string> {
  const link = await linkOfToken(repo, clock, token);
  if (link.delegateId !== undefined)
    throw new ForbiddenError(
      'Only the citizen’s own link can do this, not a helper’s link.',
      undefined,
      'DELEGATE_LINK',
    );
  return link.caseId;
}
