/**
 * LOCAL_FAULTS: AWS's transient failures, injected at the local service endpoints at given rates,
 * e.g. `lambda.throttle=0.05,dynamodb.throttle=0.02,sfn.throttle=0.02,sms.fail=0.1`. Each failure has
 * the service's own error shape (see the endpoints), so the SDKs, the state machines' Retry and the
 * functions meet exactly what AWS would send them. LOCAL_FAULTS_SEED makes the draws reproducible:
 * every key draws from its own seeded sequence, so the n-th call of a kind meets the same fate in
 * every run (which call is the n-th may still differ where calls race).
 */
import { createHash, randomInt } from 'node:crypto';

export const FAULT_KINDS = {
  'lambda.throttle': 'Lambda Invoke refused: TooManyRequestsException (429, Rate Exceeded.)',
  'lambda.error': 'Lambda Invoke fails: ServiceException (500)',
  'dynamodb.throttle': 'DynamoDB: ProvisionedThroughputExceededException or ThrottlingException (400)',
  'dynamodb.error': 'DynamoDB: InternalServerError (500)',
  'sfn.throttle': 'Step Functions API: ThrottlingException (400, Rate exceeded)',
  'sfn.error': 'Step Functions API: InternalServerError (500)',
  'sms.fail': 'SMS send fails: End User Messaging InternalServerException (500), Twilio 500 (20500)',
  'sms.throttle': 'SMS send throttled: End User Messaging ThrottlingException (400), Twilio 429 (20429)',
} as const;

export type FaultKind = keyof typeof FAULT_KINDS;

/** mulberry32: a small, well-distributed 32-bit generator; enough for fault draws. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultRates {
  private readonly draws = new Map<FaultKind, () => number>();
  /** Faults injected so far, per kind. */
  readonly injected = new Map<FaultKind, number>();

  readonly rates = new Map<FaultKind, number>();

  private constructor(
    rates: Map<FaultKind, number>,
    readonly seed: string,
  ) {
    for (const [kind, rate] of rates) this.setRate(kind, rate);
  }

  /** Parses LOCAL_FAULTS; throws a message naming the bad entry. No seed: a random one (printed at start). */
  static parse(spec: string | undefined, seed?: string): FaultRates {
    const rates = new Map<FaultKind, number>();
    for (const entry of (spec ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const m = /^([a-z]+\.[a-z]+)=([0-9.]+)$/.exec(entry);
      const kind = m?.[1] as FaultKind | undefined;
      const rate = Number(m?.[2]);
      if (!m || !kind || !(kind in FAULT_KINDS))
        throw new Error(
          `LOCAL_FAULTS: '${entry}' is not <kind>=<rate> with a kind of: ${Object.keys(FAULT_KINDS).join(', ')}`,
        );
      if (!(rate >= 0 && rate <= 1)) throw new Error(`LOCAL_FAULTS: the rate of ${kind} must be from 0 to 1`);
      rates.set(kind, rate);
    }
    return new FaultRates(rates, seed?.trim() || String(randomInt(1, 2 ** 31)));
  }

  /** Changes a rate while running (tests, tools); a kind not given at start gets its seeded sequence now. */
  setRate(kind: FaultKind, rate: number): void {
    if (!this.draws.has(kind)) {
      const digest = createHash('sha256').update(`${this.seed}/${kind}`).digest();
      this.draws.set(kind, generator(digest.readUInt32LE(0)));
      this.injected.set(kind, 0);
    }
    this.rates.set(kind, rate);
  }

  get active(): boolean {
    return [...this.rates.values()].some((r) => r > 0);
  }

  /** Whether this call of the kind fails. */
  roll(kind: FaultKind): boolean {
    const draw = this.draws.get(kind);
    if (!draw) return false;
    const hit = draw() < (this.rates.get(kind) as number);
    if (hit) this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
    return hit;
  }

  /** A second, independent draw of the same kind (e.g. which of two error shapes), from its sequence. */
  pick<T>(kind: FaultKind, options: readonly T[]): T {
    const draw = this.draws.get(kind) ?? Math.random;
    return options[Math.floor(draw() * options.length)] as T;
  }

  startLines(): string[] {
    if (!this.active) return [];
    return [
      `LOCAL_FAULTS: injecting AWS's transient faults (LOCAL_FAULTS_SEED=${this.seed} repeats this run's draws):`,
      ...[...this.rates].map(
        ([kind, rate]) => `  ${kind.padEnd(18)} ${String(rate).padEnd(6)} ${FAULT_KINDS[kind]}`,
      ),
    ];
  }
}
