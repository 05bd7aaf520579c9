import { randomBytes } from 'node:crypto';
import type { Service } from '../../workflows/schema';
import { caseCipher } from '../domain/case-keys';
import type { CaseRecord } from '../domain/model';
import { type PiiVault, sha256 } from '../domain/pii';
import type { CaseRepository, Clock } from '../domain/ports';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import type { DelegateBody } from './contract';
import { type DelegateRecord, type DelegateScope, type DelegateStore, MAX_ACTIVE_DELEGATES } from './model';

// Adding and revoking a delegate, by the citizen's own link only (the handler checks who asks). The
// delegate link is a fresh random secret of 192 bits: it is handed out once, in the answer, and only
// its hash is stored, on a link item like the case link's (access.ts resolves both). The name is
// sealed with the case's key; events carry the delegate id only.

export interface DelegationDeps {
  repo: Pick<CaseRepository, 'appendEvent'>;
  delegates: DelegateStore;
  clock: Clock;
  vault: PiiVault;
}

const TOKEN_BYTES = 24;
const ID_BYTES = 9;
/**
 * Concurrent additions: a loser reads again. Every loss is another's win, so after the limit's number
 * of losses the index is full and the answer is the limit's 409: this many attempts always decide.
 */
const ATTEMPTS = MAX_ACTIVE_DELEGATES + 1;

const invalid = (field: string, message: string) =>
  new ValidationError(message, { fields: { [field]: message } });

/** The scope asked for, when every step is a citizen step of the service (duplicates dropped). */
export function scopeOf(service: Service, steps: DelegateBody['steps']): DelegateScope {
  if (steps === 'all') return 'all';
  const citizenSteps = new Set(
    service.stages.flatMap((stage) => stage.steps.filter((s) => s.actor === 'citizen').map((s) => s.id)),
  );
  const unknown = steps.filter((id) => !citizenSteps.has(id));
  if (unknown.length > 0)
    throw invalid(
      'steps',
      `Only your own steps of this service can be handed over, not: ${unknown.join(', ')}.`,
    );
  return [...new Set(steps)];
}

/** A date means to the end of that day (Amsterdam); never past the case link, which is the default. */
export function expiryOf(record: CaseRecord, asked: string | undefined, now: Date): string {
  const limit = Date.parse(record.linkExpiresAt);
  if (asked === undefined) return new Date(limit).toISOString();
  const at = Date.parse(asked.length === 10 ? `${asked}T23:59:59+01:00` : asked);
  if (Number.isNaN(at)) throw invalid('expiresAt', 'Give a real date.');
  if (at <= now.getTime()) throw invalid('expiresAt', 'Give a date in the future.');
  if (at > limit)
    throw invalid(
      'expiresAt',
      `Give a date no later than your own link works (${record.linkExpiresAt.slice(0, 10)}).`,
    );
  return new Date(at).toISOString();
}

function open(record: CaseRecord): void {
  if (record.status !== 'ACTIVE' && record.status !== 'FAILED')
    throw new ConflictError(
      'CASE_CLOSED',
      `The case is ${record.status.toLowerCase()}; nobody can help with it any more.`,
      {
        status: record.status,
      },
    );
}

export interface AddedDelegate {
  delegate: DelegateRecord;
  /** The secret of the delegate link: only in this answer, never stored. */
  token: string;
}

/**
 * The delegate's id and link secret. With `once` (the page form's one-time key, or a JSON client's) both
 * follow from it, keyed with the vault's secret: the same request again (a double tap, a page sent
 * twice) is the same helper with the same link, not a second one.
 */
function identity(vault: PiiVault, caseId: string, once: string | undefined) {
  if (once === undefined)
    return {
      delegateId: randomBytes(ID_BYTES).toString('base64url'),
      token: randomBytes(TOKEN_BYTES).toString('base64url'),
    };
  return {
    delegateId: vault.hash(`delegate-id:${caseId}:${once}`).slice(0, 12),
    // 32 characters of base64url: 192 bits, as long as a random one.
    token: vault.hash(`delegate-link:${caseId}:${once}`).slice(0, 32),
  };
}

export async function addDelegate(
  deps: DelegationDeps,
  service: Service,
  record: CaseRecord,
  body: DelegateBody,
): Promise<AddedDelegate> {
  open(record);
  const now = deps.clock.now();
  const steps = scopeOf(service, body.steps);
  const expiresAt = expiryOf(record, body.expiresAt, now);
  const nameEnc = caseCipher(deps.vault, record).seal(body.name);
  const { delegateId, token } = identity(deps.vault, record.caseId, body.once);
  if (body.once !== undefined) {
    const earlier = await deps.delegates.getDelegate(record.caseId, delegateId);
    if (earlier?.revokedAt !== undefined)
      throw new ConflictError(
        'DELEGATE_REVOKED',
        'This helper’s link was withdrawn; add the helper again from your page.',
        { delegateId },
      );
    if (earlier) return { delegate: earlier, token };
  }
  const delegate: DelegateRecord = {
    caseId: record.caseId,
    delegateId,
    nameEnc,
    steps,
    createdAt: now.toISOString(),
    expiresAt,
  };
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const index = await deps.delegates.delegateIndex(record.caseId);
    const ids = Object.keys(index.entries);
    const expired = ids.filter((id) => Date.parse(index.entries[id] ?? '') <= now.getTime());
    // A copy of this request already entered it (it is entering it again, not adding one more).
    const again = index.entries[delegateId] !== undefined;
    if (!again && ids.length - expired.length >= MAX_ACTIVE_DELEGATES)
      throw new ConflictError(
        'DELEGATE_LIMIT',
        `A case can have at most ${MAX_ACTIVE_DELEGATES} helpers at a time; withdraw one first.`,
        { limit: MAX_ACTIVE_DELEGATES },
      );
    if (await deps.delegates.addDelegate(delegate, sha256(token), { ...index, expired }, record.ttl)) {
      // The copy that entered it first tells the history; entering it again is no new helper.
      if (again) return { delegate, token };
      await deps.repo.appendEvent(
        {
          caseId: record.caseId,
          at: delegate.createdAt,
          type: 'DELEGATE_ADDED',
          actor: 'citizen',
          detail: { delegateId, steps, expiresAt },
        },
        `delegate-added-${delegateId}`,
      );
      return { delegate, token };
    }
  }
  throw new ConflictError('DELEGATES_BUSY', 'Helpers were being added at the same moment; please try again.');
}

/** Revoked at once: the delegate link is refused from the next request on. Twice is a 409. */
export async function revokeDelegate(
  deps: DelegationDeps,
  record: CaseRecord,
  delegateId: string,
): Promise<DelegateRecord> {
  const delegate = await deps.delegates.getDelegate(record.caseId, delegateId);
  if (!delegate) throw new NotFoundError('There is no such helper on this case.', { delegateId });
  const at = deps.clock.now().toISOString();
  if (!(await deps.delegates.revokeDelegate(record.caseId, delegateId, at)))
    throw new ConflictError('DELEGATE_REVOKED', 'This helper’s link was withdrawn already.', { delegateId });
  await deps.repo.appendEvent({
    caseId: record.caseId,
    at,
    type: 'DELEGATE_REVOKED',
    actor: 'citizen',
    detail: { delegateId },
  });
  return { ...delegate, revokedAt: at };
}
