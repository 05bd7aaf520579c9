/**
 * One waste-collection case driven over HTTP only, as the e2e tests do it (test/e2e/cases.ts):
 * the provider creates it and submits its steps through the API with a local token; the citizen
 * answers 'present' by SMS (signed Twilio webhook) and 'household-feedback' through the citizen
 * link's JSON route (or both by one channel, see CitizenChannel). Every wait is bounded.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { httpCall } from './local-http';

export type CitizenChannel = 'sms' | 'json' | 'mixed';

export interface DriverOptions {
  url: string;
  staffToken: string;
  twilioToken: string;
  citizen: CitizenChannel;
  /** Aborted at the overall deadline. */
  signal: AbortSignal;
  /** Bound on one whole case (create to COMPLETED). */
  caseTimeoutMs: number;
  /** First pause between polls of a case (it grows to 8x). */
  pollMs: number;
  /** Bound on one HTTP request. */
  requestTimeoutMs: number;
}

/** Latency samples per label (ms), e.g. 'submit sms', 'wait completed'. */
export class Samples {
  readonly byLabel = new Map<string, number[]>();
  add(label: string, ms: number): void {
    const list = this.byLabel.get(label);
    if (list) list.push(ms);
    else this.byLabel.set(label, [ms]);
  }
  all(prefix: string): number[] {
    return [...this.byLabel].filter(([k]) => k.startsWith(prefix)).flatMap(([, v]) => v);
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

interface CaseView {
  status: string;
  steps: { stepId: string; status: string }[];
}

export class CaseDriver {
  constructor(
    private readonly o: DriverOptions,
    readonly samples: Samples,
  ) {}

  private async call(
    signal: AbortSignal,
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<Record<string, unknown>> {
    const { status, text } = await httpCall(`${this.o.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal,
      timeoutMs: this.o.requestTimeoutMs,
    });
    if (status >= 400) throw new Error(`${method} ${path}: ${status} ${text.slice(0, 300)}`);
    return text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  private staff(signal: AbortSignal, method: string, path: string, body?: unknown) {
    const headers = { authorization: `Bearer ${this.o.staffToken}`, 'content-type': 'application/json' };
    return this.call(signal, method, path, body === undefined ? undefined : JSON.stringify(body), headers);
  }

  private async timed<T>(label: string, work: () => Promise<T>): Promise<T> {
    const t = performance.now();
    const out = await work();
    this.samples.add(label, performance.now() - t);
    return out;
  }

  private sms(signal: AbortSignal, from: string, text: string) {
    const p: Record<string, string> = {
      From: from,
      To: '+3197010000000',
      Body: text,
      MessageSid: `SM${randomUUID().replace(/-/g, '')}`,
    };
    const signed = Object.keys(p)
      .sort()
      .reduce((a, k) => a + k + p[k], `${this.o.url}/sms/inbound`);
    const sig = createHmac('sha1', this.o.twilioToken).update(signed, 'utf8').digest('base64');
    return this.call(signal, 'POST', '/sms/inbound', new URLSearchParams(p).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': sig,
    });
  }

  private async citizen(signal: AbortSignal, phone: string, link: string, stepId: string, yes: boolean) {
    const useSms = this.o.citizen === 'sms' || (this.o.citizen === 'mixed' && stepId === 'present');
    if (useSms) return this.timed('submit sms', () => this.sms(signal, phone, yes ? 'ja' : 'nee'));
    const field = stepId === 'present' ? 'presented' : 'satisfied';
    return this.timed('submit citizen-json', () =>
      this.call(signal, 'POST', `${link}/steps/${stepId}`, JSON.stringify({ data: { [field]: yes } }), {
        'content-type': 'application/json',
        accept: 'application/json',
      }),
    );
  }

  /**
   * Polls GET /cases/{id}?view=status with a growing pause (the poll is load on the system) until `test`
   * holds: as a system that waits on a case would, it asks where the case stands, which reads no personal
   * data (so adds no processing record).
   */
  private async waitFor(signal: AbortSignal, label: string, caseId: string, test: (v: CaseView) => boolean) {
    const t = performance.now();
    // The first look goes at once: a wait may be over by then (the completion usually is). The pauses
    // after it start at pollMs and grow: a stage takes tens of ms to open (engine, then open-step per step).
    for (let pause = this.o.pollMs; ; pause = Math.min(pause * 1.5, 8 * this.o.pollMs)) {
      signal.throwIfAborted();
      this.samples.add('poll', 0);
      const v = (await this.staff(signal, 'GET', `/cases/${caseId}?view=status`)) as unknown as CaseView;
      if (test(v)) break;
      if (v.status !== 'ACTIVE' && v.status !== undefined)
        throw new Error(`case ${caseId} is ${v.status} while waiting for ${label}`);
      await new Promise((r) => setTimeout(r, pause));
    }
    this.samples.add(`wait ${label}`, performance.now() - t);
  }

  /** Runs case number `i` to COMPLETED; throws (naming the phase) on error, timeout or deadline. */
  async run(i: number): Promise<void> {
    const signal = AbortSignal.any([this.o.signal, AbortSignal.timeout(this.o.caseTimeoutMs)]);
    // Both steps of a stage open together (one Parallel state); wait for both before submitting.
    const open =
      (...ids: string[]) =>
      (v: CaseView) =>
        ids.every((id) => v.steps.some((s) => s.stepId === id && s.status === 'OPEN'));
    const phone = `+316${String(20_000_000 + i).slice(-8)}`;
    let phase = 'create';
    try {
      const created = await this.timed('create', () =>
        this.staff(signal, 'POST', '/cases', {
          serviceId: 'waste-collection',
          citizen: { phone, locale: 'nl' },
          reference: `bench-${i}`,
        }),
      );
      const caseId = String(created.caseId);
      const link = new URL(String(created.citizenLink)).pathname;
      phase = `case ${caseId}: round open`;
      await this.waitFor(signal, 'round open', caseId, open('present', 'collect'));
      phase = `case ${caseId}: round submits`;
      await this.citizen(signal, phone, link, 'present', true);
      await this.timed('submit provider', () =>
        this.staff(signal, 'POST', `/cases/${caseId}/steps/collect`, { data: { collected: true } }),
      );
      phase = `case ${caseId}: feedback open`;
      await this.waitFor(
        signal,
        'feedback open',
        caseId,
        open('household-feedback', 'municipality-feedback'),
      );
      phase = `case ${caseId}: feedback submits`;
      await this.citizen(signal, phone, link, 'household-feedback', true);
      await this.timed('submit provider', () =>
        this.staff(signal, 'POST', `/cases/${caseId}/steps/municipality-feedback`, {
          data: { satisfied: true },
        }),
      );
      phase = `case ${caseId}: completed`;
      await this.waitFor(signal, 'completed', caseId, (v) => v.status === 'COMPLETED');
    } catch (e) {
      const why = signal.aborted && this.o.signal.aborted ? 'deadline' : signal.aborted ? 'case timeout' : '';
      throw new Error(`case #${i} at ${phase}: ${why || (e as Error).message}`);
    }
  }
}
