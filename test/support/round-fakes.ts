import type { CaseRecord } from '../../functions/domain/model';
import type {
  RoundRecord,
  RoundSpread,
  RoundStatus,
  RowError,
  RowFailure,
} from '../../functions/rounds/model';
import type { RoundEngine, RoundFiles, RoundRepository } from '../../functions/rounds/ports';
import { NotFoundError } from '../../functions/shared/errors';
import type { Service } from '../../workflows/schema';
import { testService } from './service-fixture';

// In-memory round ports for domain tests. Conditional writes are one synchronous check-and-set, as a
// DynamoDB condition expression is, so the concurrency tests mean something.

const copy = <T>(value: T): T => structuredClone(value);
const b = (nl: string, en: string) => ({ nl, en });

/** The test service with context fields of every kind a CSV cell can hold. */
export const roundService: Service = {
  ...testService,
  context: [
    { id: 'address', type: 'text', label: b('Adres', 'Address'), required: true, maxLength: 30 },
    { id: 'collectionDate', type: 'date', label: b('Ophaaldag', 'Collection day'), required: true },
    {
      id: 'bins',
      type: 'number',
      label: b('Bakken', 'Bins'),
      required: false,
      min: 1,
      max: 4,
      integer: true,
    },
    {
      id: 'kind',
      type: 'choice',
      label: b('Soort', 'Kind'),
      required: false,
      options: [
        { value: 'rest', label: b('Rest', 'Residual') },
        { value: 'gft', label: b('GFT', 'Organic') },
      ],
    },
    { id: 'gate', type: 'yesNo', label: b('Hek', 'Gate'), required: false },
  ],
};

/** A school service, for the provider-kind check. */
export const schoolService: Service = {
  ...testService,
  id: 'child-development',
  providerKind: 'school',
  context: [],
};

export const roundCatalogMock = {
  services: [roundService, schoolService],
  findService: (id: string) => [roundService, schoolService].find((s) => s.id === id),
};

/** A round record with every field, for tests that start from a stored round. */
export function roundRecord(over: Partial<RoundRecord> = {}): RoundRecord {
  return {
    roundId: 'r1',
    org: 'gm0363',
    serviceId: 'waste-collection',
    name: 'Week 10',
    onInvalid: 'reject',
    status: 'AWAITING_UPLOAD',
    createdAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-02T09:00:00.000Z',
    createdBy: 'staff-1',
    attempt: 0,
    total: 0,
    validated: 0,
    invalid: 0,
    started: 0,
    failed: 0,
    completed: 0,
    expired: 0,
    cancelled: 0,
    ttl: 4_000_000_000,
    ...over,
  };
}

export class FakeRoundRepository implements RoundRepository {
  rounds = new Map<string, RoundRecord>();
  errors = new Map<string, Map<number, RowError[]>>();
  failures = new Map<string, Map<number, RowFailure>>();
  /** Every putRowErrors call, to see the batching. */
  errorBatches: number[] = [];
  counterCalls: Parameters<RoundRepository['addToCounters']>[] = [];

  /** The cases of the round are read from the case fake, as the byRound index would. */
  constructor(private readonly cases: () => Iterable<CaseRecord> = () => []) {}

  async createRound(record: RoundRecord) {
    if (this.rounds.has(record.roundId)) return 'exists' as const;
    this.rounds.set(record.roundId, copy(record));
    return 'created' as const;
  }
  async getRound(roundId: string) {
    const r = this.rounds.get(roundId);
    return r && copy(r);
  }
  async listRounds(q: {
    org: string;
    serviceId: string;
    limit: number;
    after?: Readonly<Record<string, string>>;
  }) {
    const all = [...this.rounds.values()]
      .filter((r) => r.org === q.org && r.serviceId === q.serviceId)
      .sort((x, y) => x.createdAt.localeCompare(y.createdAt) || x.roundId.localeCompare(y.roundId));
    const start = q.after ? Number(q.after.position) : 0;
    const items = copy(all.slice(start, start + q.limit));
    return start + q.limit < all.length ? { items, next: { position: String(start + q.limit) } } : { items };
  }
  async beginAttempt(roundId: string, attempt: number, from: RoundStatus[], at: string) {
    const r = this.rounds.get(roundId);
    if (!r || r.attempt !== attempt || !from.includes(r.status)) return false;
    Object.assign(r, {
      status: 'VALIDATING',
      attempt: attempt + 1,
      updatedAt: at,
      ...{ total: 0, validated: 0, invalid: 0, started: 0, failed: 0 },
    });
    delete r.error;
    return true;
  }
  async ensureDataKey(roundId: string, wrapped: string) {
    const r = this.existing(roundId);
    r.dataKey ??= wrapped;
    return r.dataKey;
  }
  async updateRound(roundId: string, fields: Partial<RoundRecord>) {
    const r = this.existing(roundId);
    // As the adapter does: a field given as undefined is removed.
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) delete (r as unknown as Record<string, unknown>)[k];
      else (r as unknown as Record<string, unknown>)[k] = copy(v);
    }
  }
  async addToCounters(roundId: string, delta: Parameters<RoundRepository['addToCounters']>[1]) {
    this.counterCalls.push([roundId, copy(delta)]);
    const r = this.existing(roundId);
    for (const [k, v] of Object.entries(delta)) r[k as keyof typeof delta] += v ?? 0;
  }
  /** Updates need the round, as the adapter's condition does. */
  private existing(roundId: string): RoundRecord {
    const r = this.rounds.get(roundId);
    if (!r) throw new NotFoundError(`Round ${roundId} does not exist.`, { roundId });
    return r;
  }
  private lines<T>(store: Map<string, Map<number, T>>, roundId: string) {
    const m = store.get(roundId) ?? new Map<number, T>();
    store.set(roundId, m);
    return m;
  }
  async putRowErrors(roundId: string, errors: RowError[]) {
    this.errorBatches.push(errors.length);
    // One item per line holding all of its errors, as the table keys them: a line written again is replaced.
    const byLine = new Map<number, RowError[]>();
    for (const e of errors) byLine.set(e.line, [...(byLine.get(e.line) ?? []), copy(e)]);
    const m = this.lines(this.errors, roundId);
    for (const [line, list] of byLine) m.set(line, list);
  }
  async putRowFailures(roundId: string, failures: RowFailure[]) {
    const m = this.lines(this.failures, roundId);
    for (const f of failures) m.set(f.line, copy(f));
  }
  async clearRowReports(roundId: string) {
    this.errors.delete(roundId);
    this.failures.delete(roundId);
  }
  /** Every stored row error of a round, by line. */
  allErrors(roundId: string): RowError[] {
    return [...(this.errors.get(roundId)?.values() ?? [])].flat().sort((x, y) => x.line - y.line);
  }
  async rowErrors(roundId: string, rows: number) {
    const all = this.allErrors(roundId);
    const lines = [...new Set(all.map((e) => e.line))].slice(0, rows);
    return copy(all.filter((e) => lines.includes(e.line)));
  }
  async rowFailures(roundId: string, limit: number) {
    const all = [...(this.failures.get(roundId)?.values() ?? [])].sort((x, y) => x.line - y.line);
    return copy(all.slice(0, limit));
  }
  async countRowFailures(roundId: string) {
    return this.failures.get(roundId)?.size ?? 0;
  }
  async countRoundCases(roundId: string) {
    return [...this.cases()].filter((c) => c.roundId === roundId).length;
  }
  async roundSpread(roundId: string): Promise<RoundSpread> {
    const spread: RoundSpread = { stages: {}, statuses: {}, counted: 0 };
    for (const c of this.cases()) {
      if (c.roundId !== roundId) continue;
      spread.counted++;
      spread.statuses[c.status] = (spread.statuses[c.status] ?? 0) + 1;
      if (c.status === 'ACTIVE' && c.stage) spread.stages[c.stage] = (spread.stages[c.stage] ?? 0) + 1;
    }
    return spread;
  }
}

/** Files in memory. `read` hands out `chunkSize`-byte chunks and logs each, as does `write`. */
export class FakeRoundFiles implements RoundFiles {
  objects = new Map<string, { body: string | Uint8Array; contentType: string }>();
  log: string[] = [];
  removed: string[] = [];

  constructor(public chunkSize = 64) {}

  put(key: string, body: string | Uint8Array): void {
    this.objects.set(key, { body, contentType: 'text/csv' });
  }
  text(key: string): string | undefined {
    const body = this.objects.get(key)?.body;
    return body === undefined || typeof body === 'string' ? body : new TextDecoder().decode(body);
  }
  async uploadUrl(key: string, expiresInSeconds: number) {
    return `https://files.example.nl/${key}?X-Amz-Expires=${expiresInSeconds}`;
  }
  async exists(key: string) {
    return this.objects.has(key);
  }
  async *read(key: string): AsyncGenerator<Uint8Array> {
    const object = this.objects.get(key);
    if (!object) throw new Error(`NoSuchKey ${key}`);
    const bytes = typeof object.body === 'string' ? new TextEncoder().encode(object.body) : object.body;
    for (let i = 0; i < bytes.length; i += this.chunkSize) {
      this.log.push(`read ${key}`);
      yield bytes.subarray(i, i + this.chunkSize);
    }
  }
  async write(key: string, chunks: AsyncIterable<string>, contentType: string) {
    let body = '';
    for await (const chunk of chunks) {
      this.log.push(`write ${key}`);
      body += chunk;
    }
    this.objects.set(key, { body, contentType });
  }
  async remove(keys: string[]) {
    for (const key of keys) {
      this.removed.push(key);
      this.objects.delete(key);
    }
  }
}

export class FakeRoundEngine implements RoundEngine {
  started: { roundId: string; attempt: number; input: Record<string, unknown> }[] = [];
  fail?: Error;

  async startRound(roundId: string, attempt: number, input: Record<string, unknown>) {
    if (this.fail) throw this.fail;
    this.started.push({ roundId, attempt, input: copy(input) });
  }
}
