/**
 * Cross-check: every corpus definition is validated with asl-validator and run through both the
 * local engine and the peer implementation (aws-local-stepfunctions); outputs and error names
 * must agree, except where the case records AWS-documented behaviour the peer misses.
 */
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../local/sfn/api/engine';
import type { Json } from '../../../local/sfn/language/json';
import { StatesError } from '../../../local/sfn/language/states-errors';
import { type CorpusCase, corpus, type TaskStep } from './corpus';
import { errorCorpus } from './corpus-errors';
import { limitCorpus } from './corpus-limits';
import {
  type Outcome,
  polyfillWithResolvers,
  redriveLocal,
  settleLocal,
  startLocal,
  stateNames,
} from './helpers';

polyfillWithResolvers();

/** asl-validator is CommonJS without type declarations; this is the part of its API used here. */
const aslValidator = createRequire(__filename)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

type PeerModule = typeof import('aws-local-stepfunctions');
let peer: PeerModule;

beforeAll(async () => {
  peer = await import('aws-local-stepfunctions');
});

/**
 * Plays a case's task script: per state name, call n takes step n (the last one repeats). Both
 * engines get their own player, so each sees the script from the start.
 */
function player(tasks: Record<string, TaskStep[]> = {}) {
  const calls: Record<string, number> = {};
  return (state: string): Promise<unknown> => {
    const steps = tasks[state] ?? [];
    const n = calls[state] ?? 0;
    calls[state] = n + 1;
    const step = steps[Math.min(n, steps.length - 1)];
    if (step === undefined) return Promise.reject(new Error(`no script for state ${state}`));
    if (step === 'hang') return new Promise(() => undefined);
    if ('error' in step) return Promise.reject(Object.assign(new Error(step.cause), { name: step.error }));
    return Promise.resolve(step.output);
  };
}

function localEngine(c: CorpusCase): Engine {
  const play = player(c.tasks);
  return new Engine({
    resolvers: [
      (resource) =>
        resource.startsWith('arn:aws:lambda:')
          ? ({ stateName }) =>
              play(stateName).then(
                (v) => v as Json,
                (e: Error) => Promise.reject(new StatesError(e.name, e.message)),
              )
          : undefined,
    ],
  });
}

async function runPeer(c: CorpusCase): Promise<Outcome> {
  const { definition, input } = c;
  const sm = new peer.StateMachine(definition as never, { validationOptions: { noValidate: true } });
  const zero = Object.fromEntries(stateNames(definition).map((n) => [n, 0]));
  const play = player(c.tasks);
  const handlers = Object.fromEntries(Object.keys(c.tasks ?? {}).map((n) => [n, () => play(n)]));
  const overrides = { retryIntervalOverrides: zero, taskResourceLocalHandlers: handlers };
  try {
    const output = await sm.run(input as never, { overrides: overrides as never }).result;
    return { status: 'SUCCEEDED', output };
  } catch (e) {
    const cause = (e as { cause?: Error }).cause;
    return { status: 'FAILED', error: cause?.name };
  }
}

describe('corpus cross-check against aws-local-stepfunctions', () => {
  const cases = [...corpus, ...errorCorpus, ...limitCorpus];

  it('has at least 55 cases with unique names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(55);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('every definition passes asl-validator', () => {
    // asl-validator builds its JSON schema validator on every call (~0.5 s), so the corpus is
    // validated as the branches of one Parallel state (state names prefixed per case to keep them
    // unique); only on failure is each one checked alone to name the culprit.
    const checked = cases.filter((c) => !c.validatorDiffers);
    const branches = checked.map((c, i) => prefixStates(c.definition, `c${i}.`));
    const all = { StartAt: 'All', States: { All: { Type: 'Parallel', End: true, Branches: branches } } };
    const v = aslValidator(all);
    if (!v.isValid) {
      const bad = checked.map((c) => [c.name, aslValidator(c.definition).errorsText()]).filter(([, e]) => e);
      expect(bad).toEqual([]);
    }
    expect(v.errorsText()).toBe('');
    expect(v.isValid).toBe(true);
  });

  it('asl-validator refuses the cases marked validatorDiffers (AWS accepts them: see the cited page)', () => {
    const differing = cases.filter((c) => c.validatorDiffers);
    expect(differing.length).toBeGreaterThan(0);
    for (const c of differing) expect(aslValidator(c.definition).isValid, c.name).toBe(false);
  });

  it('asl-validator rejects a broken definition (the check above can fail)', () => {
    const broken = { StartAt: 'Nowhere', States: { S: { Type: 'Pass', Next: 'Missing' } } };
    expect(aslValidator(broken).isValid).toBe(false);
  });

  for (const c of cases) {
    // The peer waits out task timeouts in real time: those cases run side by side.
    const waits = Object.values(c.tasks ?? {}).some((steps) => steps.includes('hang'));
    (waits ? it.concurrent : it)(`${c.name}: same result as the peer`, async () => {
      const engine = localEngine(c);
      const arn = await startLocal(engine, c.definition, c.input);
      let local = await settleLocal(engine, arn);
      if (c.redrive && local.status === 'FAILED') local = await redriveLocal(engine, arn);
      await engine.close();
      const other = await runPeer(c);

      if (c.aws) {
        // The peer disagrees with documented AWS behaviour here; we follow AWS (see corpus.ts).
        expect(other).not.toEqual(expectedOutcome(c.aws.expected));
        expect(summary(local)).toEqual(expectedOutcome(c.aws.expected));
        return;
      }
      expect(summary(local)).toEqual(summary(other));
    });
  }
});

function expectedOutcome(e: { output?: unknown; error?: string }): Outcome {
  return e.error !== undefined
    ? { status: 'FAILED', error: e.error }
    : { status: 'SUCCEEDED', output: e.output };
}

function summary(o: Outcome): Outcome {
  return o.status === 'SUCCEEDED'
    ? { status: o.status, output: o.output }
    : { status: o.status, error: o.error };
}

/** Renames every state of a definition (and every reference to it) with a prefix. */
function prefixStates(def: Record<string, unknown>, p: string): Record<string, unknown> {
  const states = def.States as Record<string, Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  for (const [name, st] of Object.entries(states)) {
    const s: Record<string, unknown> = { ...st };
    if (typeof s.Next === 'string') s.Next = p + s.Next;
    if (typeof s.Default === 'string') s.Default = p + s.Default;
    if (Array.isArray(s.Choices))
      s.Choices = s.Choices.map((c: Record<string, unknown>) => ({ ...c, Next: p + String(c.Next) }));
    if (Array.isArray(s.Catch))
      s.Catch = s.Catch.map((c: Record<string, unknown>) => ({ ...c, Next: p + String(c.Next) }));
    if (Array.isArray(s.Branches))
      s.Branches = s.Branches.map((b: Record<string, unknown>) => prefixStates(b, p));
    if (s.Iterator) s.Iterator = prefixStates(s.Iterator as Record<string, unknown>, p);
    if (s.ItemProcessor) s.ItemProcessor = prefixStates(s.ItemProcessor as Record<string, unknown>, p);
    out[p + name] = s;
  }
  return { ...def, StartAt: p + String(def.StartAt), States: out };
}
