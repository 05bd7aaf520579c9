// Scoped delegation (issue 12.2): a citizen hands some of their steps, or the whole case, to someone
// who helps them (a daughter, a neighbour, a mentor) through a second link. Plain records and the port
// the domain reaches them through; no AWS types.

/** 'all': every citizen step of the case; else the ids of the citizen steps handed over. */
export type DelegateScope = 'all' | string[];

export interface DelegateRecord {
  caseId: string;
  /** Random, not secret: it names the delegate in URLs, events and the step it answered. */
  delegateId: string;
  /** The helper's name, sealed with the case's key: personal data, never in clear in the table. */
  nameEnc?: string;
  steps: DelegateScope;
  createdAt: string;
  /** The delegate link stops working then (never later than the case link). */
  expiresAt: string;
  /** Set when the citizen revoked it, or the case's personal data was erased. */
  revokedAt?: string;
}

/** At most this many delegates may be active on one case at a time. */
export const MAX_ACTIVE_DELEGATES = 5;

/** Who a link speaks for: the citizen themselves, or one of their delegates. */
export type Asker = { kind: 'citizen' } | { kind: 'delegate'; delegate: DelegateRecord };

/**
 * The case item keeps an index of its delegates that were not revoked (id -> expiry) and a version,
 * so that the limit is checked and the new delegate entered in one conditional write: of two
 * concurrent additions one goes through, the other reads again.
 */
export interface DelegateIndex {
  entries: Record<string, string>;
  version: number;
}

export interface DelegateStore {
  delegateIndex(caseId: string): Promise<DelegateIndex>;
  getDelegate(caseId: string, delegateId: string): Promise<DelegateRecord | undefined>;
  /**
   * Enters the delegate in the index while its version is still `version` (dropping the `expired`
   * entries), then stores its link (by hash) and the delegate; false when the index moved on.
   */
  addDelegate(
    record: DelegateRecord,
    linkHash: string,
    index: DelegateIndex & { expired: string[] },
    ttl: number,
  ): Promise<boolean>;
  /** Active -> revoked, exactly once (and out of the index); false when it was revoked already. */
  revokeDelegate(caseId: string, delegateId: string, at: string): Promise<boolean>;
}

export function isActive(delegate: DelegateRecord, now: Date): boolean {
  return delegate.revokedAt === undefined && Date.parse(delegate.expiresAt) > now.getTime();
}

/** Whether the delegate may answer this (citizen) step. */
export function covers(delegate: DelegateRecord, stepId: string): boolean {
  return delegate.steps === 'all' || delegate.steps.includes(stepId);
}
