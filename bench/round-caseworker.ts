/**
 * bench:round's single cases: the baseline's POST /cases, and a caseworker's case started by hand
 * just as the round has started all its cases, when the most invitations are still queued. Its
 * invitation is timed: on AWS each function scales on its own, so the round's backlog does not
 * hold it up, and the local engine queues its calls apart from the round's (task-lanes.ts).
 */
import { performance } from 'node:perf_hooks';
import { type SampleRow, wasteRow } from '../local/runtime/round-csv';
import type { Runtime } from '../local/runtime/runtime';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** POST /cases for a household like a round's row `i` (a phone of its own from `phoneOffset`). */
export async function postCase(
  rt: Runtime,
  token: string,
  i: number,
  prefix: string,
  phoneOffset: number,
  signal: AbortSignal,
): Promise<SampleRow> {
  const row = wasteRow(i, prefix, phoneOffset);
  const res = await fetch(`${rt.url}/cases`, {
    signal,
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      serviceId: 'waste-collection',
      reference: row.reference,
      citizen: { name: 'Bench', ...(row.phone ? { phone: row.phone } : { email: row.email }) },
      context: { address: 'Benchstraat 1, Utrecht', collectionDate: '2026-12-15' },
    }),
  });
  if (res.status !== 201) throw new Error(`POST /cases ${res.status}: ${await res.text()}`);
  return row;
}

export interface CaseworkerFigures {
  /** From the POST to its invitation SMS. */
  seconds: number;
  /** Task calls queued in the engine when the POST went out. */
  queued: number;
}

/** A case started by hand, timed until its invitation SMS is in the outbox. */
export async function caseworkerCase(
  rt: Runtime,
  token: string,
  signal: AbortSignal,
): Promise<CaseworkerFigures> {
  const queued = rt.engine.engine.stats().tasksQueued;
  let seen = rt.outbox.count;
  const t0 = performance.now();
  // Row 0 has a phone (round-csv.ts); the offset keeps it apart from every row and baseline case.
  const { phone } = await postCase(rt, token, 0, 'caseworker', 5_000_000, signal);
  for (;;) {
    // The outbox has it in international form: +31 6... for 06...
    if (rt.outbox.since(seen).some((m) => m.to.endsWith(phone.slice(1))))
      return { seconds: (performance.now() - t0) / 1000, queued };
    seen = rt.outbox.count;
    signal.throwIfAborted();
    await sleep(50);
  }
}
