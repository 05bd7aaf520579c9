/**
 * The terminal side of `npm run round`: a progress line on stderr (redrawn in place on a terminal,
 * a line every few seconds otherwise) and the summary at the end.
 */
import type { RoundBody } from './round-client';

const WIDTH = 24;
const SHOWN = 10;

const bar = (part: number, whole: number) => {
  const filled = whole > 0 ? Math.min(WIDTH, Math.round((part / whole) * WIDTH)) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}]`;
};
const secs = (s: number) => (s < 90 ? `${s.toFixed(s < 10 ? 1 : 0)} s` : `${Math.round(s / 60)} min`);

export class Progress {
  private readonly t0 = Date.now();
  private readonly tty: boolean;
  private phase = '';
  private lastLine = 0;
  /** When the cases began to start, and how many rows were handled then. */
  private from: [number, number] | undefined;

  constructor(private readonly out: NodeJS.WriteStream) {
    this.tty = Boolean(out.isTTY);
  }

  seconds(): number {
    return (Date.now() - this.t0) / 1000;
  }

  /** Cases per second since the cases began to start: the counter moves in batches, a short window jumps. */
  rate(handled: number): number {
    const now = Date.now();
    this.from ??= [now, handled];
    const [t, n] = this.from;
    return now > t ? ((handled - n) * 1000) / (now - t) : 0;
  }

  line(r: RoundBody): string {
    const elapsed = secs(this.seconds());
    if (r.status === 'VALIDATING' || r.status === 'AWAITING_UPLOAD')
      return `${r.status.padEnd(10)} checking every row...${r.total ? ` ${r.validated}/${r.total} valid` : ''}  ${elapsed}`;
    const handled = r.started + r.failed;
    const rate = this.rate(handled);
    const left = Math.max(0, r.validated - handled);
    const eta = r.status === 'STARTING' && rate > 0 && left > 0 ? `  ETA ${secs(left / rate)}` : '';
    const pct = r.validated ? Math.floor((handled / r.validated) * 100) : 0;
    return (
      `${r.status.padEnd(10)} ${bar(handled, r.validated)} ${String(pct).padStart(3)}%  ` +
      `started ${r.started}/${r.validated}  failed ${r.failed}  valid ${r.validated}/${r.total}  ` +
      `${rate.toFixed(0)} cases/s${eta}  ${elapsed}`
    );
  }

  update(r: RoundBody, done: boolean): void {
    const text = this.line(r);
    if (this.tty) {
      this.out.write(`\r${text.slice(0, (this.out.columns || 120) - 1)}\x1b[K${done ? '\n' : ''}`);
      return;
    }
    const now = Date.now();
    if (done || r.status !== this.phase || now - this.lastLine >= 3000) {
      this.out.write(`${text}\n`);
      this.lastLine = now;
    }
    this.phase = r.status;
  }
}

export function summary(r: RoundBody, seconds?: number): string {
  const out = [
    `Round '${r.name}' (${r.roundId}), ${r.serviceId}: ${r.status} (attempt ${r.attempt}, invalid rows: ${r.onInvalid})`,
    `  rows ${r.total}: valid ${r.validated}, invalid ${r.invalid}`,
    `  cases started ${r.started}, failed ${r.failed}; since then completed ${r.completed}, expired ${r.expired}, cancelled ${r.cancelled}`,
  ];
  if (seconds !== undefined)
    out.push(
      `  time ${seconds.toFixed(1)} s${r.started ? `, ${(r.started / seconds).toFixed(0)} cases/s` : ''}`,
    );
  if (r.error) out.push(`  ${r.error}`);
  if (r.errors.length) {
    out.push(
      `Errors (first ${Math.min(SHOWN, r.errors.length)} of ${Math.max(r.invalid, r.errors.length)}):`,
    );
    for (const e of r.errors.slice(0, SHOWN)) out.push(`  line ${e.line}, column ${e.column}: ${e.reason}`);
  }
  if (r.failures.length) {
    out.push(
      `Failures (first ${Math.min(SHOWN, r.failures.length)} of ${Math.max(r.failed, r.failures.length)}):`,
    );
    for (const f of r.failures.slice(0, SHOWN)) out.push(`  line ${f.line} (${f.reference}): ${f.reason}`);
  }
  return `${out.join('\n')}\n`;
}
