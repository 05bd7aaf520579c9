/**
 * Turns a definition into numbered graphs of compiled states. Graph 0 is the top level; every
 * Parallel branch and Map processor gets its own number in depth-first order, so a persisted
 * thread can name "graph 3, state X" and find it again after a restart.
 */

import { type Catcher, compileCatchers, compileRetriers, type Retrier } from '../interpreter/retry-and-catch';
import { compileRule, isTimestamp, type Predicate } from './choice-rules';
import { compileDistributed, DefinitionError, type DistConfig } from './distributed-map-config';
import { compileIntrinsic } from './intrinsics';
import { compilePath } from './jsonpath';
import {
  compileResultPath,
  compileSelect,
  compileTemplate,
  type PathSelect,
  type ResultMerge,
  type Template,
} from './payload-template';
import {
  type AslGraph,
  type AslState,
  isObject,
  type Json,
  type JsonObject,
  runtimeError,
  StatesError,
} from './types';

export type Ctx = () => Json;
export type Dyn<T> = (input: Json, ctx: Ctx) => T;

export interface CState {
  name: string;
  type: string;
  graph: number;
  next: string | null;
  inputPath: PathSelect;
  outputPath: PathSelect;
  resultPath: ResultMerge;
  parameters?: Template;
  resultSelector?: Template;
  result?: Json;
  retriers: Retrier[];
  catchers: Catcher[];
  resource?: string;
  timeout?: Dyn<number | undefined>;
  heartbeat?: Dyn<number | undefined>;
  choices?: { test: Predicate; next: string }[];
  defaultNext?: string;
  /** Wait: absolute due time in ms for a given clock reading. */
  waitUntil?: (input: Json, ctx: Ctx, now: number) => number;
  branches?: number[];
  iterator?: number;
  itemsPath?: PathSelect;
  itemSelector?: Template;
  maxConcurrency?: number;
  /** Distributed Map settings (ItemReader, ItemBatcher, tolerated failures); undefined = inline. */
  dist?: DistConfig;
  failError?: Dyn<string | undefined>;
  failCause?: Dyn<string | undefined>;
}

export interface Graph {
  id: number;
  startAt: string;
  states: Map<string, CState>;
}

export interface CompiledMachine {
  graphs: Graph[];
  timeoutSeconds?: number;
}

export { DefinitionError };

const TYPES = new Set(['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']);

export function compileMachine(def: unknown): CompiledMachine {
  if (!isObject(def as Json)) throw new DefinitionError('Definition must be a JSON object');
  const graphs: Graph[] = [];
  try {
    compileGraph(def as unknown as AslGraph, graphs, '');
  } catch (e) {
    if (e instanceof StatesError) throw new DefinitionError(e.causeText);
    throw e;
  }
  const t = (def as AslGraph).TimeoutSeconds;
  return { graphs, timeoutSeconds: typeof t === 'number' ? t : undefined };
}

function compileGraph(g: AslGraph, graphs: Graph[], where: string): number {
  if (
    !isObject(g as unknown as Json) ||
    typeof g.StartAt !== 'string' ||
    !isObject(g.States as unknown as Json)
  ) {
    throw new DefinitionError(`${where || 'Definition'}: StartAt and States are required`);
  }
  const id = graphs.length;
  const graph: Graph = { id, startAt: g.StartAt, states: new Map() };
  graphs.push(graph);
  for (const [name, s] of Object.entries(g.States)) graph.states.set(name, compileState(name, s, id, graphs));
  const check = (target: string | null | undefined, from: string) => {
    if (target != null && !graph.states.has(target)) {
      throw new DefinitionError(`Missing 'Next' target: ${target} at /States/${from}`);
    }
  };
  check(g.StartAt, 'StartAt');
  for (const s of graph.states.values()) {
    check(s.next, s.name);
    check(s.defaultNext, s.name);
    for (const c of s.choices ?? []) check(c.next, s.name);
    for (const c of s.catchers) check(c.next, s.name);
  }
  return id;
}

function numberField(
  s: AslState,
  field: 'TimeoutSeconds' | 'HeartbeatSeconds',
): Dyn<number | undefined> | undefined {
  const lit = s[field];
  const path = s[`${field}Path` as 'TimeoutSecondsPath' | 'HeartbeatSecondsPath'];
  if (typeof lit === 'number') return () => lit;
  if (typeof path !== 'string') return undefined;
  const p = compilePath(path);
  return (input, ctx) => {
    const v = p.get(p.context ? ctx() : input);
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw runtimeError(
        `The value of ${field}Path '${path}' must be a positive integer, got ${JSON.stringify(v)}`,
      );
    }
    return v;
  };
}

function stringField(lit: string | undefined, path: string | undefined): Dyn<string | undefined> | undefined {
  if (typeof lit === 'string') return () => lit;
  if (typeof path !== 'string') return undefined;
  if (!path.startsWith('$')) {
    const f = compileIntrinsic(path);
    return (i, c) => {
      const v = f(i, c);
      return typeof v === 'string' ? v : JSON.stringify(v);
    };
  }
  const p = compilePath(path);
  return (input, ctx) => {
    const v = p.get(p.context ? ctx() : input);
    if (v === undefined) throw runtimeError(`Invalid path '${path}': the path does not exist in the input`);
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
}

function compileState(name: string, s: AslState, graph: number, graphs: Graph[]): CState {
  if (!isObject(s as unknown as Json) || !TYPES.has(s.Type)) {
    throw new DefinitionError(`Invalid State Type '${String(s?.Type)}' at /States/${name}`);
  }
  const terminal = s.Type === 'Succeed' || s.Type === 'Fail' || s.Type === 'Choice';
  if (!terminal && !s.End && typeof s.Next !== 'string') {
    throw new DefinitionError(`State '${name}' must have 'Next' or 'End'`);
  }
  const c: CState = {
    name,
    type: s.Type,
    graph,
    next: typeof s.Next === 'string' ? s.Next : null,
    inputPath: compileSelect(s.InputPath, 'InputPath'),
    outputPath: compileSelect(s.OutputPath, 'OutputPath'),
    resultPath: compileResultPath(s.ResultPath),
    parameters: s.Parameters !== undefined ? compileTemplate(s.Parameters) : undefined,
    resultSelector: s.ResultSelector !== undefined ? compileTemplate(s.ResultSelector) : undefined,
    result: s.Result,
    retriers: compileRetriers(s.Retry),
    catchers: compileCatchers(s.Catch),
  };
  switch (s.Type) {
    case 'Task':
      if (typeof s.Resource !== 'string') throw new DefinitionError(`Task '${name}' needs a Resource`);
      c.resource = s.Resource;
      c.timeout = numberField(s, 'TimeoutSeconds');
      c.heartbeat = numberField(s, 'HeartbeatSeconds');
      break;
    case 'Choice':
      if (!Array.isArray(s.Choices) || s.Choices.length === 0)
        throw new DefinitionError(`Choice '${name}' needs Choices`);
      c.choices = s.Choices.map((r: JsonObject) => ({ test: compileRule(r), next: String(r.Next) }));
      c.defaultNext = s.Default;
      break;
    case 'Wait':
      c.waitUntil = compileWait(s);
      break;
    case 'Parallel':
      if (!Array.isArray(s.Branches)) throw new DefinitionError(`Parallel '${name}' needs Branches`);
      c.branches = s.Branches.map((b, i) => compileGraph(b, graphs, `${name}/Branches/${i}`));
      break;
    case 'Map': {
      const proc = s.ItemProcessor ?? s.Iterator;
      if (!proc) throw new DefinitionError(`Map '${name}' needs an ItemProcessor`);
      c.iterator = compileGraph(proc, graphs, `${name}/ItemProcessor`);
      c.itemsPath = compileSelect(s.ItemsPath, 'ItemsPath');
      const sel = s.ItemSelector ?? s.Parameters;
      c.itemSelector = sel !== undefined ? compileTemplate(sel) : undefined;
      c.parameters = undefined;
      c.maxConcurrency = s.MaxConcurrency ?? 0;
      c.dist = compileDistributed(name, s);
      if (c.dist?.reader && s.ItemsPath !== undefined)
        throw new DefinitionError(`Map '${name}': ItemsPath cannot be used with ItemReader`);
      break;
    }
    case 'Fail':
      c.failError = stringField(s.Error, s.ErrorPath);
      c.failCause = stringField(s.Cause, s.CausePath);
      break;
  }
  return c;
}

function compileWait(s: AslState): (input: Json, ctx: Ctx, now: number) => number {
  if (typeof s.Seconds === 'number') {
    const ms = s.Seconds * 1000;
    return (_i, _c, now) => now + ms;
  }
  if (typeof s.Timestamp === 'string') {
    const at = Date.parse(s.Timestamp);
    return () => at;
  }
  const path = s.SecondsPath ?? s.TimestampPath;
  if (typeof path !== 'string')
    throw new DefinitionError('Wait needs Seconds, SecondsPath, Timestamp or TimestampPath');
  const p = compilePath(path);
  const bySeconds = s.SecondsPath !== undefined;
  return (input, ctx, now) => {
    const v = p.get(p.context ? ctx() : input);
    if (v === undefined) throw runtimeError(`Invalid path '${path}': The path does not exist in the input`);
    if (bySeconds) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
        throw runtimeError(
          `The SecondsPath parameter does not reference a valid non-negative integer: ${JSON.stringify(v)}`,
        );
      }
      return now + v * 1000;
    }
    if (!isTimestamp(v))
      throw runtimeError(
        `The TimestampPath parameter does not reference a valid ISO-8601 timestamp: ${JSON.stringify(v)}`,
      );
    return Date.parse(v);
  };
}
