import type { DataCipher } from '../domain/case-keys';
import { type DelegateRecord, type DelegateScope, isActive } from './model';

// What the partners see of the citizen's delegates: names opened in memory with the case's key (or
// left out once the case is erased), who answered a step, and the active delegates with their scope.

export interface DelegateView {
  delegateId: string;
  name?: string;
  steps: DelegateScope;
  createdAt: string;
  expiresAt: string;
}

/** Who answered a step for the citizen; the name is absent once it cannot be opened. */
export interface AnsweredBy {
  delegateId: string;
  name?: string;
}

export type DelegateNames = ReadonlyMap<string, string>;

export function delegateNames(cipher: DataCipher, delegates: readonly DelegateRecord[]): DelegateNames {
  const names = new Map<string, string>();
  for (const d of delegates) {
    const name = cipher.open(d.nameEnc);
    if (name !== undefined) names.set(d.delegateId, name);
  }
  return names;
}

export function answeredBy(names: DelegateNames, delegateId: string): AnsweredBy {
  const name = names.get(delegateId);
  return { delegateId, ...(name !== undefined && { name }) };
}

/** The delegates that may still act, oldest first. */
export function activeDelegates(
  names: DelegateNames,
  delegates: readonly DelegateRecord[],
  now: Date,
): DelegateView[] {
  return delegates
    .filter((d) => isActive(d, now))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((d) => ({
      delegateId: d.delegateId,
      ...(names.has(d.delegateId) && { name: names.get(d.delegateId) }),
      steps: d.steps,
      createdAt: d.createdAt,
      expiresAt: d.expiresAt,
    }));
}

/** An event's detail naming a delegate gets the name, opened (for the console's words). */
export function namedDetail(names: DelegateNames, detail: Record<string, unknown>): Record<string, unknown> {
  const id = detail.delegateId;
  if (typeof id !== 'string' || !names.has(id)) return detail;
  return { ...detail, delegate: names.get(id) };
}

/** Every helper the citizen ever had on the case, for their export (revoked ones with when). */
export function exportedDelegates(
  names: DelegateNames,
  delegates: readonly DelegateRecord[],
): (DelegateView & { revokedAt?: string })[] {
  return [...delegates]
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((d) => ({
      delegateId: d.delegateId,
      ...(names.has(d.delegateId) && { name: names.get(d.delegateId) }),
      steps: d.steps,
      createdAt: d.createdAt,
      expiresAt: d.expiresAt,
      ...(d.revokedAt !== undefined && { revokedAt: d.revokedAt }),
    }));
}
