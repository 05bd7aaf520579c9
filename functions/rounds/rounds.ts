import { createHmac } from 'node:crypto';
import { reaches } from '../domain/access';
import { dataCipher, roundOwner } from '../domain/case-keys';
import { serviceFromInput } from '../domain/definitions';
import type { Provider } from '../domain/model';
import type { PiiVault } from '../domain/pii';
import type { Clock, PageKey } from '../domain/ports';
import { ConflictError, ForbiddenError, NotFoundError } from '../shared/errors';
import {
  type OnInvalid,
  type RoundRecord,
  type RoundSpread,
  type RoundStatus,
  type RoundView,
  roundKeys,
} from './model';
import type { RoundEngine, RoundFiles, RoundRepository } from './ports';

// A round: one service started for every household in a CSV file. Created (with an upload URL),
// started (validated, then cases started by the round state machine), and watched.

export interface RoundDeps {
  rounds: RoundRepository;
  files: RoundFiles;
  engine: RoundEngine;
  clock: Clock;
  vault: PiiVault;
  retentionDays: number;
}

export interface CreateRoundBody {
  serviceId: string;
  name: string;
  onInvalid?: OnInvalid;
}

export interface CreatedRound {
  roundId: string;
  status: RoundStatus;
  upload: { method: 'PUT'; url: string; headers: { 'content-type': 'text/csv' }; expiresAt: string };
}

export const UPLOAD_URL_SECONDS = 15 * 60;
const RESTARTABLE: RoundStatus[] = ['AWAITING_UPLOAD', 'REJECTED', 'STARTED', 'FAILED'];
/** The round machine is working on the round: no new attempt, and the console keeps showing progress. */
export const RUNNING: readonly RoundStatus[] = ['VALIDATING', 'STARTING'];
/**
 * A round still VALIDATING this long after its attempt began has no execution behind it (the start
 * crashed between beginAttempt and StartExecution): validation takes at most 15 minutes plus retries.
 */
export const STALE_VALIDATING_MS = 60 * 60_000;

/** 128 bits, hex, derived like case ids: the same (org, service, name) is the same round. */
export function newRoundId(vault: PiiVault, org: string, serviceId: string, name: string): string {
  const keyed = vault.hash(`${org}:round:${serviceId}:${name}`);
  return createHmac('sha256', keyed).update('round-id').digest().subarray(0, 16).toString('hex');
}

/** A round the caller may reach (access.ts: own organisation, own kind's service); else like a missing one. */
export async function roundOfProvider(
  rounds: RoundRepository,
  roundId: string,
  provider: Provider,
): Promise<RoundRecord> {
  const round = await rounds.getRound(roundId);
  if (!round || !reaches(provider, round)) throw new NotFoundError('There is no such round.', { roundId });
  return round;
}

export async function createRound(
  deps: Pick<RoundDeps, 'rounds' | 'files' | 'clock' | 'vault' | 'retentionDays'>,
  provider: Provider,
  body: CreateRoundBody,
): Promise<{ created: boolean; result: CreatedRound }> {
  const service = serviceFromInput(body.serviceId);
  if (service.providerKind !== provider.orgKind) {
    throw new ForbiddenError(`Only a ${service.providerKind} can start '${service.id}' rounds.`, {
      serviceId: service.id,
    });
  }
  const onInvalid = body.onInvalid ?? 'reject';
  const now = deps.clock.now();
  const at = now.toISOString();
  const roundId = newRoundId(deps.vault, provider.org, service.id, body.name);
  const record: RoundRecord = {
    roundId,
    org: provider.org,
    serviceId: service.id,
    name: body.name,
    onInvalid,
    status: 'AWAITING_UPLOAD',
    createdAt: at,
    updatedAt: at,
    createdBy: provider.who,
    attempt: 0,
    ...{ total: 0, validated: 0, invalid: 0, started: 0, failed: 0, completed: 0, expired: 0, cancelled: 0 },
    ttl: Math.floor(now.getTime() / 1000) + deps.retentionDays * 86_400,
  };
  let stored = record;
  const outcome = await deps.rounds.createRound(record);
  if (outcome === 'exists') {
    stored = await roundOfProvider(deps.rounds, roundId, provider);
    if (stored.onInvalid !== onInvalid) {
      throw new ConflictError(
        'ROUND_NAME_REUSED',
        `A round named like this already exists with onInvalid '${stored.onInvalid}'. Use a new name.`,
        { roundId, onInvalid: stored.onInvalid },
      );
    }
  }
  // A fresh URL every time: the same name again is how a caller uploads a corrected file.
  const url = await deps.files.uploadUrl(roundKeys.upload(roundId), UPLOAD_URL_SECONDS);
  const expiresAt = new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString();
  return {
    created: outcome === 'created',
    result: {
      roundId,
      status: stored.status,
      upload: { method: 'PUT', url, headers: { 'content-type': 'text/csv' }, expiresAt },
    },
  };
}

export async function startRound(
  deps: Pick<RoundDeps, 'rounds' | 'files' | 'engine' | 'clock'>,
  provider: Provider,
  roundId: string,
): Promise<{ roundId: string; status: 'VALIDATING'; attempt: number }> {
  const round = await roundOfProvider(deps.rounds, roundId, provider);
  const running = () =>
    new ConflictError('ROUND_RUNNING', 'The round is being validated or started; wait until it ends.', {
      status: round.status,
    });
  const now = deps.clock.now();
  const stale =
    round.status === 'VALIDATING' && now.getTime() - Date.parse(round.updatedAt) > STALE_VALIDATING_MS;
  if (RUNNING.includes(round.status) && !stale) throw running();
  if (!(await deps.files.exists(roundKeys.upload(roundId)))) {
    throw new ConflictError(
      'UPLOAD_MISSING',
      'Upload the CSV file first (POST /rounds gives the upload URL).',
      {
        roundId,
      },
    );
  }
  const at = now.toISOString();
  // Conditional on the attempt we read: of two concurrent starts, one wins.
  const from = stale ? [...RESTARTABLE, 'VALIDATING' as const] : RESTARTABLE;
  if (!(await deps.rounds.beginAttempt(roundId, round.attempt, from, at))) throw running();
  const attempt = round.attempt + 1;
  const input = { roundId, org: round.org, serviceId: round.serviceId, onInvalid: round.onInvalid, attempt };
  try {
    await deps.rounds.clearRowReports(roundId);
    await deps.engine.startRound(roundId, attempt, input);
  } catch (error) {
    // Without an execution nothing would ever leave VALIDATING (every later start would be a 409
    // ROUND_RUNNING): the round is marked FAILED so it can be started again.
    await deps.rounds.updateRound(roundId, {
      status: 'FAILED',
      error: 'The round could not be started; start it again.',
    });
    throw error;
  }
  return { roundId, status: 'VALIDATING', attempt };
}

/** The round, its first row errors, and its first failures with their references opened. */
export async function getRound(
  deps: Pick<RoundDeps, 'rounds' | 'vault'>,
  provider: Provider,
  roundId: string,
  limit = 100,
): Promise<RoundView> {
  const round = await roundOfProvider(deps.rounds, roundId, provider);
  const [errors, stored] = await Promise.all([
    deps.rounds.rowErrors(roundId, limit),
    deps.rounds.rowFailures(roundId, limit),
  ]);
  const cipher = dataCipher(deps.vault, roundOwner(roundId), round);
  const failures = stored.map(({ line, referenceEnc, reference, reason }) => ({
    line,
    reference: cipher.open(referenceEnc) ?? reference ?? '',
    reason,
  }));
  return { round, errors, failures };
}

export async function listRounds(
  deps: Pick<RoundDeps, 'rounds'>,
  provider: Provider,
  serviceId: string,
  after?: PageKey,
): Promise<{ items: RoundRecord[]; next?: PageKey }> {
  return deps.rounds.listRounds({ org: provider.org, serviceId, limit: 50, ...(after && { after }) });
}

export async function roundSpread(
  deps: Pick<RoundDeps, 'rounds'>,
  provider: Provider,
  roundId: string,
): Promise<RoundSpread> {
  await roundOfProvider(deps.rounds, roundId, provider);
  return deps.rounds.roundSpread(roundId);
}

/** GET /rounds/{roundId}: the round without its internals (org, creator, ttl). */
export function roundDto(view: RoundView) {
  const r = view.round;
  return {
    roundId: r.roundId,
    name: r.name,
    serviceId: r.serviceId,
    status: r.status,
    onInvalid: r.onInvalid,
    attempt: r.attempt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    total: r.total,
    validated: r.validated,
    invalid: r.invalid,
    started: r.started,
    failed: r.failed,
    completed: r.completed,
    expired: r.expired,
    cancelled: r.cancelled,
    // Live counters may briefly disagree while cases start and end; never show a negative number.
    active: Math.max(0, r.started - r.completed - r.expired - r.cancelled),
    ...(r.error !== undefined && { error: r.error }),
    errors: view.errors,
    failures: view.failures,
  };
}
