import type {
  RoundRecord,
  RoundSpread,
  RoundStatus,
  RowError,
  RowFailure,
} from '../../../functions/domain/round-model';
import type { RoundRepository } from '../../../functions/domain/round-ports';

// An in-memory RoundRepository for the console's page tests: the console only reads, so the writes
// are plain puts; `spreads` stands in for the byRound index.

const copy = <T>(value: T): T => structuredClone(value);

export class ConsoleRoundRepository implements RoundRepository {
  rounds = new Map<string, RoundRecord>();
  errors = new Map<string, RowError[]>();
  failures = new Map<string, RowFailure[]>();
  spreads = new Map<string, RoundSpread>();
  /** Every limit the console asked row reports for, to check it never reads them all. */
  limits: number[] = [];

  async createRound(record: RoundRecord) {
    if (this.rounds.has(record.roundId)) return 'exists' as const;
    this.rounds.set(record.roundId, copy(record));
    return 'created' as const;
  }
  async getRound(roundId: string) {
    const r = this.rounds.get(roundId);
    return r && copy(r);
  }
  async listRounds(q: { org: string; serviceId: string; limit: number; cursor?: string }) {
    const all = [...this.rounds.values()]
      .filter((r) => r.org === q.org && r.serviceId === q.serviceId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.roundId.localeCompare(b.roundId));
    const start = q.cursor ? Number(q.cursor) : 0;
    const items = copy(all.slice(start, start + q.limit));
    return start + q.limit < all.length ? { items, cursor: String(start + q.limit) } : { items };
  }
  async beginAttempt(roundId: string, attempt: number, from: RoundStatus[], at: string) {
    const r = this.rounds.get(roundId);
    if (!r || r.attempt !== attempt || !from.includes(r.status)) return false;
    Object.assign(r, { status: 'VALIDATING', attempt: attempt + 1, updatedAt: at });
    return true;
  }
  async updateRound(roundId: string, fields: Partial<RoundRecord>) {
    const r = this.rounds.get(roundId);
    if (r) Object.assign(r, copy(fields));
  }
  async addToCounters(
    roundId: string,
    delta: Partial<Record<'started' | 'failed' | 'completed' | 'expired' | 'cancelled', number>>,
  ) {
    const r = this.rounds.get(roundId);
    if (!r) return;
    for (const [k, n] of Object.entries(delta)) r[k as keyof typeof delta] += n ?? 0;
  }
  async putRowErrors(roundId: string, errors: RowError[]) {
    this.errors.set(roundId, [...(this.errors.get(roundId) ?? []), ...copy(errors)]);
  }
  async putRowFailures(roundId: string, failures: RowFailure[]) {
    this.failures.set(roundId, [...(this.failures.get(roundId) ?? []), ...copy(failures)]);
  }
  async clearRowReports(roundId: string) {
    this.errors.delete(roundId);
    this.failures.delete(roundId);
  }
  async rowErrors(roundId: string, limit: number) {
    this.limits.push(limit);
    return copy((this.errors.get(roundId) ?? []).slice(0, limit));
  }
  async rowFailures(roundId: string, limit: number) {
    this.limits.push(limit);
    return copy((this.failures.get(roundId) ?? []).slice(0, limit));
  }
  async countRowFailures(roundId: string) {
    return this.failures.get(roundId)?.length ?? 0;
  }
  async countRoundCases(roundId: string) {
    return this.spreads.get(roundId)?.counted ?? 0;
  }
  async roundSpread(roundId: string) {
    return copy(this.spreads.get(roundId) ?? { stages: {}, statuses: {}, counted: 0 });
  }
}

export function roundRecord(over: Partial<RoundRecord> = {}): RoundRecord {
  return {
    roundId: 'a'.repeat(32),
    org: 'gm0363',
    serviceId: 'waste-collection',
    name: 'Wijk Noord 2026',
    onInvalid: 'reject',
    status: 'AWAITING_UPLOAD',
    createdAt: '2026-03-01T08:00:00.000Z',
    updatedAt: '2026-03-01T08:05:00.000Z',
    createdBy: 'staff-1',
    attempt: 1,
    total: 0,
    validated: 0,
    invalid: 0,
    started: 0,
    failed: 0,
    completed: 0,
    expired: 0,
    cancelled: 0,
    ttl: 1_900_000_000,
    ...over,
  };
}
