import type { RoundRecord, RoundSpread } from '../../../functions/rounds/model';
import { FakeRoundRepository, roundRecord as storedRound } from '../../support/round-fakes';

// The shared in-memory RoundRepository, for the console's page tests: `spreads` stands in for the
// byRound index, and every limit asked for row reports is kept.

export class ConsoleRoundRepository extends FakeRoundRepository {
  spreads = new Map<string, RoundSpread>();
  /** Every limit the console asked row reports for, to check it never reads them all. */
  limits: number[] = [];

  override async rowErrors(roundId: string, limit: number) {
    this.limits.push(limit);
    return super.rowErrors(roundId, limit);
  }
  override async rowFailures(roundId: string, limit: number) {
    this.limits.push(limit);
    return super.rowFailures(roundId, limit);
  }
  override async countRoundCases(roundId: string) {
    return this.spreads.get(roundId)?.counted ?? 0;
  }
  override async roundSpread(roundId: string) {
    return structuredClone(this.spreads.get(roundId) ?? { stages: {}, statuses: {}, counted: 0 });
  }
}

/** A round as the console pages show it: a real-looking id and name, after its first attempt. */
export function roundRecord(over: Partial<RoundRecord> = {}): RoundRecord {
  return storedRound({
    roundId: 'a'.repeat(32),
    name: 'Wijk Noord 2026',
    createdAt: '2026-03-01T08:00:00.000Z',
    updatedAt: '2026-03-01T08:05:00.000Z',
    attempt: 1,
    ttl: 1_900_000_000,
    ...over,
  });
}
