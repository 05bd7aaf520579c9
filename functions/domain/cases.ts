import { createHmac, randomBytes } from 'node:crypto';
import type { Service } from '../../workflows/schema';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
import { caseOfProvider, type Provider } from './access';
import { caseCipher, caseOwner, type DataCipher, newDataKey } from './case-keys';
import { categoriesHeld, logChange } from './case-reads';
import { serviceFromInput } from './definitions';
import { validateForm } from './forms';
import {
  type CaseRecord,
  type CaseStatus,
  type Contact,
  executionName,
  type FormData,
  type Locale,
} from './model';
import { normalizePhone, type PiiVault, sha256 } from './pii';
import type { CaseRepository, Clock, RoundCounters, WorkflowEngine } from './ports';
import type { ProcessingLog, Staff } from './processing-log';

// Creating, listing and cancelling cases on behalf of a provider organisation.

export interface CaseDeps {
  repo: CaseRepository;
  /** A new case's personal data is recorded: logged as a create. */
  log: ProcessingLog;
  engine: WorkflowEngine;
  clock: Clock;
  vault: PiiVault;
  publicUrl: string;
  linkTtlDays: number;
  retentionDays: number;
}

export interface CreateCaseBody {
  serviceId: string;
  citizen: { name?: string; phone?: string; email?: string; locale?: Locale };
  reference?: string;
  /** `in-person`: the link is handed over in person, so the citizen may have no phone or e-mail. */
  handover?: 'in-person';
  /** The service's context fields (address, collection date...), validated like a form. */
  context?: Record<string, unknown>;
}

/** Not part of the HTTP body: set by a round for the cases it starts. */
export interface CreateCaseOptions {
  roundId?: string;
}

export interface CreatedCase {
  caseId: string;
  status: CaseStatus;
  citizenLink: string;
}

const DAY_MS = 86_400_000;

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
function sameRequest(vault: PiiVault, existing: CaseRecord, request: unknown): boolean {
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

export function citizenLink(deps: Pick<CaseDeps, 'vault' | 'publicUrl'>, caseId: string): string {
  return `${deps.publicUrl}/c/${deps.vault.linkToken(caseId)}`;
}

function sealContact(vault: PiiVault, cipher: DataCipher, citizen: CreateCaseBody['citizen']): Contact {
  const contact: Contact = { locale: citizen.locale ?? 'nl' };
  if (citizen.name) contact.nameEnc = cipher.seal(citizen.name);
  if (citizen.phone) {
    const phone = normalizePhone(citizen.phone);
    if (!phone) {
      throw new ValidationError('The phone number is not valid.', {
        fields: { 'citizen.phone': 'Give a mobile number such as 0612345678 or +31612345678.' },
      });
    }
    contact.phoneHash = vault.hash(phone);
    contact.phoneEnc = cipher.seal(phone);
  }
  if (citizen.email) contact.emailEnc = cipher.seal(citizen.email);
  return contact;
}

/** The context values as the form validation types them; errors name `context.<field>`. */
function contextValues(fields: Service['context'], context: Record<string, unknown> | undefined): FormData {
  try {
    return validateForm(fields, context ?? {});
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const named = (error.details?.fields ?? {}) as Record<string, string>;
    const fieldErrors = Object.fromEntries(
      Object.entries(named).map(([k, m]) => [k === 'data' ? 'context' : `context.${k}`, m]),
    );
    throw new ValidationError(`Check these fields: ${Object.keys(fieldErrors).join(', ')}`, {
      fields: fieldErrors,
    });
  }
}

/** A new case as its create request makes it, before anything is written (see createCase). */
export interface PreparedCase {
  service: Service;
  record: CaseRecord;
  linkHash: string;
  /** What the case's requestHash covers: a replay must send the same. */
  request: CreateCaseBody;
}

/**
 * Creates a case (or finds the one an earlier request with the same Idempotency-Key created) and starts
 * its execution: `prepareCase`, the repository's write, then `completeCreate`. A round's batch does the
 * same with one write for many cases (rounds/start-cases.ts).
 */
export async function createCase(
  deps: CaseDeps,
  staff: Staff,
  body: CreateCaseBody,
  idempotencyKey?: string,
  options: CreateCaseOptions = {},
): Promise<{ created: boolean; result: CreatedCase }> {
  const prepared = prepareCase(deps, staff, body, idempotencyKey, options);
  const outcome = await deps.repo.createCase(prepared.record, prepared.linkHash);
  return completeCreate(deps, staff, prepared, outcome);
}

/** Checks the request and seals its personal data with a new key of the case's own; writes nothing. */
export function prepareCase(
  deps: Pick<CaseDeps, 'clock' | 'vault' | 'linkTtlDays' | 'retentionDays'>,
  staff: Staff,
  body: CreateCaseBody,
  idempotencyKey?: string,
  options: CreateCaseOptions = {},
): PreparedCase {
  const { provider } = staff;
  const service = serviceFromInput(body.serviceId);
  if (service.providerKind !== provider.orgKind) {
    throw new ForbiddenError(`Only a ${service.providerKind} can start '${service.id}' cases.`, {
      serviceId: service.id,
    });
  }
  // v1 clients send no context and keep working; a context that is sent is checked in full.
  const context =
    body.context === undefined && options.roundId === undefined
      ? {}
      : contextValues(service.context, body.context);
  const now = deps.clock.now();
  const caseId = newCaseId(deps.vault, provider.org, idempotencyKey);
  // The case's own key: every personal value below is sealed with it (case-keys.ts).
  const key = newDataKey(deps.vault, caseOwner(caseId));
  const contact = sealContact(deps.vault, key.cipher, body.citizen);
  // The round is part of the request: a POST /cases that reuses a round's key cannot take its case over.
  const request = options.roundId ? { ...body, roundId: options.roundId } : body;
  const record: CaseRecord = {
    caseId,
    serviceId: service.id,
    org: provider.org,
    status: 'ACTIVE',
    dataKey: key.wrapped,
    ...(body.reference !== undefined && { referenceEnc: key.cipher.seal(body.reference) }),
    ...(options.roundId !== undefined && { roundId: options.roundId }),
    citizen: contact,
    ...(Object.keys(context).length > 0 && { contextEnc: key.cipher.sealJson(context) }),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    requestHash: requestHash(deps.vault, request),
    linkExpiresAt: new Date(now.getTime() + deps.linkTtlDays * DAY_MS).toISOString(),
    ttl: Math.floor(now.getTime() / 1000) + deps.retentionDays * 86_400,
  };
  return { service, record, linkHash: sha256(deps.vault.linkToken(caseId)), request };
}

/**
 * After the case's write: a replay must be the same request by the same organisation; a new case is
 * logged as created; either way the execution is started.
 */
export async function completeCreate(
  deps: CaseDeps,
  staff: Staff,
  prepared: PreparedCase,
  outcome: 'created' | 'exists',
): Promise<{ created: boolean; result: CreatedCase }> {
  const { service, record, request } = prepared;
  const caseId = record.caseId;
  let stored = record;
  if (outcome === 'exists') {
    const existing = await deps.repo.getCase(caseId);
    if (!existing || existing.org !== staff.provider.org || !sameRequest(deps.vault, existing, request)) {
      throw new ConflictError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different request. Use a new key for a new case.',
      );
    }
    stored = existing;
  }
  // The new case's personal data is on record: logged once, by the request that wrote it.
  if (outcome === 'created') await logChange(deps, staff, 'create', record, categoriesHeld(record, []));
  // Also on a replay: the first request may have failed before the start. The input is rebuilt from
  // the stored case, so it is identical and the engine treats it as the same execution.
  await deps.engine.startCase(service.id, caseId, {
    caseId,
    serviceId: service.id,
    org: stored.org,
    createdAt: stored.createdAt,
    ...(stored.roundId !== undefined && { roundId: stored.roundId }),
  });
  return {
    created: outcome === 'created',
    result: { caseId, status: stored.status, citizenLink: citizenLink(deps, caseId) },
  };
}

/**
 * Stops a case for good. Staff write the reason (it may name the citizen), so it is sealed with the
 * case's key like its other personal data, and the execution is stopped with a neutral cause: Step
 * Functions keeps a stop's cause in the history.
 */
export async function cancelCase(
  deps: Pick<CaseDeps, 'repo' | 'engine' | 'clock' | 'vault'> & {
    rounds: RoundCounters;
  },
  provider: Provider,
  caseId: string,
  reason: string,
): Promise<CaseRecord> {
  const record = await caseOfProvider(deps.repo, caseId, provider);
  const sealed = caseCipher(deps.vault, record).seal(reason);
  if (!(await deps.repo.closeCase(caseId, 'CANCELLED', sealed))) {
    // Read ACTIVE or FAILED but refused: another request cancelled it just now.
    const status = record.status === 'ACTIVE' || record.status === 'FAILED' ? 'CANCELLED' : record.status;
    throw new ConflictError('CASE_CLOSED', `The case is already ${status.toLowerCase()}.`, { status });
  }
  // Only after closeCase succeeded, so a repeated cancel counts once on the round. The round item may
  // have expired before its cases (it was created first): the case is still cancelled.
  if (record.roundId)
    await deps.rounds.addToCounters(record.roundId, { cancelled: 1 }).catch((error: unknown) => {
      if (!(error instanceof NotFoundError)) throw error;
    });
  // The current execution, read again now that the case is closed: a continuation may have begun
  // since the first read, and the machine names a new one only while the case is ACTIVE.
  const closed = (await deps.repo.getCase(caseId)) ?? record;
  await deps.engine.stopCase(record.serviceId, executionName(closed), CANCEL_CAUSE);
  const at = deps.clock.now().toISOString();
  await deps.repo.appendEvent({
    caseId,
    at,
    type: 'CASE_CANCELLED',
    actor: 'provider',
    detail: { reasonEnc: sealed, by: provider.who },
  });
  const { failure: _gone, ...rest } = record;
  return { ...rest, status: 'CANCELLED', cancelReasonEnc: sealed, updatedAt: at };
}

/** What Step Functions records as the stop's cause: the reason itself stays sealed on the case. */
export const CANCEL_CAUSE = 'Cancelled by the provider; the reason is on the case.';
