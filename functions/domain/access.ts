import * as z from 'zod/mini';
import { ForbiddenError, LinkExpiredError, NotFoundError, UnauthenticatedError } from '../shared/errors';
import type { CaseRecord } from './model';
import { sha256 } from './pii';
import type { CaseRepository, Clock } from './ports';

// Who may touch a case. Staff act for the organisation in their token; a case of another
// organisation answers 404 exactly like a missing one, so case ids cannot be probed.

export const ORG_KINDS = ['municipality', 'school', 'care-provider'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export interface Provider {
  org: string;
  orgKind: OrgKind;
  /** The staff member, for the audit trail (sub, else e-mail). */
  who: string;
}

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

export async function caseOfOrg(repo: CaseRepository, caseId: string, org: string): Promise<CaseRecord> {
  const record = await repo.getCase(caseId);
  if (!record || record.org !== org) throw new NotFoundError('There is no such case.', { caseId });
  return record;
}

const LINK_TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

/** The case a citizen link opens. Only the token's hash is stored; an expired link is a 410. */
export async function caseIdForLinkToken(repo: CaseRepository, clock: Clock, token: string): Promise<string> {
  const link = LINK_TOKEN.test(token) ? await repo.caseIdForLink(sha256(token)) : undefined;
  if (!link) throw new NotFoundError('There is no case for this link.');
  if (Date.parse(link.expiresAt) < clock.now().getTime()) throw new LinkExpiredError();
  return link.caseId;
}
