import type { Service } from '../../workflows/schema';
import { ConflictError, ForbiddenError, ValidationError } from '../shared/errors';
import { citizenLink, newCaseId, requestHash, sameRequest } from './case-ids';
import { caseOwner, type DataCipher, newDataKey } from './case-keys';
import { categoriesHeld, logChange } from './case-reads';
import { DAY_MS } from './clock';
import { serviceFromInput } from './definitions';
import { validateForm } from './forms';
import type { CaseRecord, CaseStatus, Contact, FormData, Locale } from './model';
import { normalizePhone, type PiiVault, sha256 } from './pii';
import type { CaseRepository, Clock, WorkflowEngine } from './ports';
import type { ProcessingLog, Staff } from './processing-log';

// Creating cases on behalf of a provider organisation, one by one or a round's batch. Ids and hashes:
// case-ids.ts; cancelling: case-cancel.ts.

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
