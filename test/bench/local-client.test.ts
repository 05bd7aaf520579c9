import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseOutcome, type DriverThread, startDriver } from '../../bench/local-client';
import type { DriverJob } from '../../bench/local-driver';

// bench:local's client thread runs the warm-up and the timed cases one job after the other. Against a
// server that refuses every case, each case fails at once, so the jobs show what the thread reports.

const options = (url: string): DriverJob['options'] => ({
  url,
  staffToken: 'token',
  twilioToken: 'twilio',
  citizen: 'mixed',
  caseTimeoutMs: 10_000,
  pollMs: 20,
  requestTimeoutMs: 10_000,
});

describe("bench:local's client thread", () => {
  let refusing: Server;
  let hanging: Server;
  let driver: DriverThread;
  const url = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  beforeAll(async () => {
    refusing = createServer((_req, res) => res.writeHead(503).end('closed'));
    hanging = createServer(() => {}); // never answers: a case waits until it is cut off
    await Promise.all(
      [refusing, hanging].map((s) => new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok))),
    );
    driver = startDriver();
  });

  afterAll(async () => {
    await driver.close();
    hanging.closeAllConnections();
    await Promise.all([refusing, hanging].map((s) => new Promise((ok) => s.close(ok))));
  });

  const never = new AbortController().signal;

  it('runs one job after another on the same thread, each with its own outcomes and samples', async () => {
    for (const [first, count] of [
      [0, 3],
      [100, 2],
    ] as const) {
      const outcomes: CaseOutcome[] = [];
      const job = driver.run({ options: options(url(refusing)), first, count, width: 2 }, never, (m) =>
        outcomes.push(m),
      );
      const done = await job.finished;
      expect(outcomes).toHaveLength(count);
      for (const outcome of outcomes) expect(outcome).toMatchObject({ ok: false, cut: false });
      // Every case of the job ran once, numbered from the job's first, and failed where the server refused it.
      const numbers = outcomes.map((m) => {
        const found = /^case #(\d+) at create: POST \/cases: 503/.exec(m.ok ? '' : m.error);
        return Number(found?.[1]);
      });
      expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => first + i));
      // A failed case adds no latency sample; the thread's CPU is read for each job (in /proc's 10 ms
      // ticks, so a short job may read 0).
      expect(done.samples).toEqual([]);
      expect(done.cpuMs).toEqual(expect.any(Number));
    }
  });

  it('refuses a second job while one runs, and cuts a job off when asked', async () => {
    const outcomes: CaseOutcome[] = [];
    const job = driver.run({ options: options(url(hanging)), first: 0, count: 1000, width: 4 }, never, (m) =>
      outcomes.push(m),
    );
    expect(() =>
      driver.run({ options: options(url(refusing)), first: 0, count: 1, width: 1 }, never, () => {}),
    ).toThrow(/one job at a time/);
    await new Promise((r) => setTimeout(r, 200));
    job.halt();
    await job.finished;
    // The four cases waiting on the server were cut off, and no further case was started.
    expect(outcomes).toHaveLength(4);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ ok: false, cut: true });
  });

  it('halts a job when the deadline passes', async () => {
    const deadline = new AbortController();
    const outcomes: CaseOutcome[] = [];
    const job = driver.run(
      { options: options(url(hanging)), first: 0, count: 1000, width: 2 },
      deadline.signal,
      (m) => outcomes.push(m),
    );
    setTimeout(() => deadline.abort(), 100);
    await job.finished;
    expect(outcomes.map((m) => m.ok === false && m.cut)).toEqual([true, true]);
  });
});
