/**
 * Benchmark of the local Step Functions engine against the peer (aws-local-stepfunctions):
 * the ~7-state corpus machine (Pass, Parallel, Choice) run in memory, durable (journal in a
 * temp dir) and by the peer, in interleaved rounds so machine noise hits all three alike. The
 * ratios are the median of each round's ratio (the three runners measured back to back), which a
 * shared machine whose load changes between rounds moves less than a ratio of medians.
 * Run: npx tsx bench/engine.ts (ROUNDS=n for more rounds)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../local/sfn/api/engine';
import { benchMachine } from '../test/local/sfn/corpus';

// aws-local-stepfunctions 3.x needs Promise.withResolvers (Node 22+); polyfill for Node 20.
const P = Promise as unknown as { withResolvers?: () => unknown };
P.withResolvers ??= () => {
  let resolve: unknown;
  let reject: unknown;
  const promise = new Promise((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
};

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const ROUND_MS = 1500;
const CONCURRENCY = 200;

type Runner = { name: string; run: (i: number) => Promise<void>; close?: () => Promise<void> };

async function engineRunner(name: string, dataDir?: string): Promise<Runner> {
  const engine = new Engine({ dataDir });
  const { stateMachineArn } = await engine.createStateMachine({
    name: 'bench',
    definition: JSON.stringify(benchMachine),
  });
  return {
    name,
    run: async (i) => {
      const { executionArn } = await engine.startExecution({
        stateMachineArn,
        input: JSON.stringify({ id: `id${i}`, amount: i % 200 }),
      });
      const d = await engine.waitForExecution(executionArn as string);
      if (d.status !== 'SUCCEEDED') throw new Error(`execution ${d.status}`);
    },
    close: () => engine.close(),
  };
}

async function peerRunner(): Promise<Runner> {
  const { StateMachine } = await import('aws-local-stepfunctions');
  const sm = new StateMachine(benchMachine as never, { validationOptions: { noValidate: true } });
  return {
    name: 'aws-local-stepfunctions',
    run: async (i) => {
      await sm.run({ id: `id${i}`, amount: i % 200 } as never).result;
    },
  };
}

/** Runs as many executions as fit in `ms`, `CONCURRENCY` at a time; returns executions/s. */
async function measure(r: Runner, ms: number): Promise<number> {
  const end = performance.now() + ms;
  let n = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (performance.now() < end) await r.run(n++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return n / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sfn-bench-'));
  const runners = [
    await engineRunner('engine (in memory)'),
    await engineRunner('engine (durable)', dir),
    await peerRunner(),
  ];
  // Warm-up so the JIT has seen every path.
  for (const r of runners) await measure(r, 300);
  const results = new Map<string, number[]>(runners.map((r) => [r.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const r of runners) results.get(r.name)?.push(await measure(r, ROUND_MS));
  }
  for (const r of runners) await r.close?.();
  rmSync(dir, { recursive: true, force: true });

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const m = new Map([...results].map(([k, v]) => [k, median(v)]));
  console.log(
    `machine: corpus benchMachine, ${countStates(benchMachine)} states (Pass, Parallel, Choice), 7-8 entered per execution; ` +
      `${ROUNDS} interleaved rounds of ${ROUND_MS} ms, ${CONCURRENCY} concurrent executions`,
  );
  for (const [k, v] of results) {
    console.log(
      `${k.padEnd(26)} median ${Math.round(m.get(k) ?? 0)
        .toString()
        .padStart(7)} exec/s   rounds: ${v.map((x) => Math.round(x)).join(', ')}`,
    );
  }
  const peer = results.get('aws-local-stepfunctions') ?? [];
  const ratio = (name: string) => median((results.get(name) ?? []).map((x, i) => x / (peer[i] ?? 1)));
  console.log(
    `ratio in-memory / peer: ${ratio('engine (in memory)').toFixed(2)}x (median of the rounds' ratios; target >= 5x)`,
  );
  console.log(
    `ratio durable / peer:   ${ratio('engine (durable)').toFixed(2)}x (median of the rounds' ratios; target >= 3x); durable ${Math.round(m.get('engine (durable)') ?? 0)} exec/s`,
  );
}

function countStates(def: { States: Record<string, unknown> }): number {
  let n = 0;
  for (const s of Object.values(def.States) as { Branches?: { States: Record<string, unknown> }[] }[]) {
    n += 1 + (s.Branches ?? []).reduce((a, b) => a + countStates(b), 0);
  }
  return n;
}

void main();
