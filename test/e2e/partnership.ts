/** Helpers of the partnership scenario (partnership.test.ts): the engine's clock as the test moves it, texts, waiting. */
import { eventually, type LocalSystem, type Loose } from './harness';

export const HOUR = 3600;
export const DAY = 24 * HOUR;

/**
 * The engine's clock as this test moves it: the functions' `Date` is real time plus the sum of every
 * `POST /local/clock`, so the test knows "now" on the functions' clock to within a request's latency.
 */
export class EngineClock {
  private offsetSeconds = 0;
  constructor(private readonly sys: LocalSystem) {}

  async advance(seconds: number): Promise<void> {
    await this.sys.advance(seconds);
    this.offsetSeconds += seconds;
  }

  /** Milliseconds on the functions' clock. */
  now(): number {
    return Date.now() + this.offsetSeconds * 1000;
  }

  /** The UTC day (YYYY-MM-DD) on the functions' clock. */
  today(): string {
    return new Date(this.now()).toISOString().slice(0, 10);
  }
}

/** The day (YYYY-MM-DD, Amsterdam) `days` after a moment. */
export function dayAfter(iso: string, days: number): string {
  const at = new Date(Date.parse(iso) + days * DAY * 1000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(at);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function textsTo(sys: LocalSystem, phone: string) {
  return (await sys.outbox()).filter((m) => m.to === phone);
}
export const isReminder = (body: string) => body.startsWith('Herinnering');
export const isEscalation = (body: string) => body.includes('nog open:');

/** Waits for the `count`-th text to a phone that passes `which`, and returns them all. */
export function textsArrive(
  sys: LocalSystem,
  phone: string,
  which: (body: string) => boolean,
  count: number,
) {
  return eventually(async () => {
    const found = (await textsTo(sys, phone)).filter((m) => which(m.body));
    return found.length >= count ? found : undefined;
  }, `${count} text(s) to ${phone}`);
}

/** A stage visit's waiting, taken from its events alone (the rule of functions/reports/waiting.ts). */
export function visitFromEvents(view: Loose, stageId: string, citizenStep: string, providerStep: string) {
  const events = view.events as Loose[];
  const entered = events.find((e) => e.type === 'STAGE_ENTERED' && e.detail?.stageId === stageId);
  const done = (stepId: string) =>
    Date.parse(events.find((e) => e.type === 'STEP_SUBMITTED' && e.stepId === stepId)?.at);
  const t0 = Date.parse(entered.at);
  const citizen = done(citizenStep);
  const provider = done(providerStep);
  const s = (x: number) => Math.floor(x / 1000);
  return {
    shared: s(Math.min(citizen, provider) - t0),
    citizenOnProvider: citizen < provider ? s(provider - citizen) : 0,
    providerOnCitizen: provider < citizen ? s(citizen - provider) : 0,
  };
}

export function stageOf(view: Loose, stageId: string): Loose {
  return (view.waiting.stages as Loose[]).find((s) => s.stageId === stageId);
}

/** `actual` is `expected` seconds to within `slack`. */
export function near(actual: number, expected: number, slack: number): boolean {
  return Math.abs(actual - expected) <= slack;
}

/** A moment on the engine clock, known to lie between two readings (ms): before and after what made it. */
export interface Moment {
  before: number;
  after: number;
}

/** Runs `act` and returns its result with the moment it happened, bracketed on the engine clock. */
export async function timed<T>(clock: EngineClock, act: () => Promise<T>): Promise<[T, Moment]> {
  const before = clock.now();
  const result = await act();
  return [result, { before, after: clock.now() }];
}

/** The seconds a function can have measured from one moment to the other (whole seconds, rounded either way). */
export function spans(actual: number, from: Moment, to: Moment): boolean {
  const low = Math.floor((to.before - from.after) / 1000) - 1;
  const high = Math.ceil((to.after - from.before) / 1000) + 1;
  return actual >= low && actual <= high;
}

/** The report's CSV as rows of cells keyed by the header (no cell here holds a comma). */
export function csvRows(text: string): Record<string, string>[] {
  const [header, ...rows] = text
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));
  return rows.map((cells) => Object.fromEntries((header ?? []).map((name, i) => [name, cells[i] ?? ''])));
}
