import { createHmac, randomBytes } from 'node:crypto';
import type { CaseRecord } from './model';
import { type PiiVault, sha256 } from './pii';

// What names a case and its create request: the case id (derived from an Idempotency-Key when there
// is one), the keyed hash that tells a replay from another request under the same key, and the link.

/** Stable JSON (sorted keys), so the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The create request, hashed with the stack's key: the body holds the citizen's name and number, which
 * a plain hash would let anyone with the table confirm by guessing.
 */
export function requestHash(vault: PiiVault, request: unknown): string {
  return vault.hash(`request:${canonicalJson(request)}`);
}

/** Cases from before keyed request hashes carry a plain SHA-256 of the request. */
export function sameRequest(vault: PiiVault, existing: CaseRecord, request: unknown): boolean {
  return (
    existing.requestHash === requestHash(vault, request) ||
    existing.requestHash === sha256(canonicalJson(request))
  );
}

/** 128 bits, hex. With an Idempotency-Key the id is derived, so a replay lands on the same case. */
export function newCaseId(vault: PiiVault, org: string, idempotencyKey?: string): string {
  if (idempotencyKey === undefined) return randomBytes(16).toString('hex');
  const keyed = vault.hash(`${org}:${idempotencyKey}`);
  return createHmac('sha256', keyed).update('case-id').digest().subarray(0, 16).toString('hex');
}

/** The citizen's link to the case page: the public URL and a token only the stack's key can make. */
export function citizenLink(deps: { vault: PiiVault; publicUrl: string }, caseId: string): string {
  return `${deps.publicUrl}/c/${deps.vault.linkToken(caseId)}`;
}
