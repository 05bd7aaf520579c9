/**
 * Turns a definition into numbered graphs of compiled states. Graph 0 is the top level; every
 * Parallel branch and Map processor gets its own number in depth-first order, so a persisted
 * thread can name "graph 3, state X" and find it again after a restart.
 */

import type { AslGraph, AslState } from './asl';
import { compileRule, type Predicate } from './choice-rules';
import { compileResultPath, compileSelect, type PathSelect, type ResultMerge } from './data-paths';
import { compileDistributed, type DistributedMapConfig } from './distributed-map-config';
import { isObject, type Json, type JsonObject } from './json';
import { compilePath } from './jsonpath';
import { compileTemplate, type Template } from './payload-template';
import { type Catcher, compileCatchers, compileRetriers, type Retrier } from './retriers-and-catchers';
import {
  compileFailField,
  compileSecondsField,
  compileWait,
  type Dynamic,
  type WaitUntil,
} from './state-fields';
import { DefinitionError, StatesError } from './states-errors';

export interface CompiledState {
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
  timeoutSeconds?: Dynamic<number | undefined>;
  heartbeatSeconds?: Dynamic<number | undefined>;
  choices?: { test: Predicate; next: string }[];
  defaultNext?: string;
  waitUntil?: WaitUntil;
  branches?: number[];
  /** The Map's ItemProcessor (or Iterator) graph. */
  itemProcessor?: number;
  itemsPath?: PathSelect;
  itemSelector?: Template;
  maxConcurrency?: number;
  /** Distributed Map settings (ItemReader, ItemBatcher, tolerated failures); undefined = inline. */
  distributed?: DistributedMapConfig;
  failError?: Dynamic<string | undefined>;
  failCause?: Dynamic<string | undefined>;
}

export interface Graph {
  id: number;
  startAt: string;
  states: Map<string, CompiledState>;
}

export interface CompiledMachine {
  graphs: Graph[];
  timeoutSeconds?: number;
}

const TYPES = new Set(['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map']);

export function compileMachine(definition: unknown): CompiledMachine {
  if (!isObject(definition as Json)) throw new DefinitionError('Definition must be a JSON object');
  const graphs: Graph[] = [];
  try {
    compileGraph(definition as unknown as AslGraph, graphs, '');
  } catch (e) {
    if (e instanceof StatesError) throw new DefinitionError(e.causeText);
    throw e;
  }
  const t = (definition as AslGraph).TimeoutSeconds;
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

function compileState(name: string, s: AslState, graph: number, graphs: Graph[]): CompiledState {
  if (!isObject(s as unknown as Json) || !TYPES.has(s.Type)) {
    throw new DefinitionError(`Invalid State Type '${String(s?.Type)}' at /States/${name}`);
  }
  const terminal = s.Type === 'Succeed' || s.Type === 'Fail' || s.Type === 'Choice';
  if (!terminal && !s.End && typeof s.Next !== 'string') {
    throw new DefinitionError(`State '${name}' must have 'Next' or 'End'`);
  }
  const c: CompiledState = {
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
      c.timeoutSeconds = compileSecondsField(s, 'TimeoutSeconds');
      c.heartbeatSeconds = compileSecondsField(s, 'HeartbeatSeconds');
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
      const processor = s.ItemProcessor ?? s.Iterator;
      if (!processor) throw new DefinitionError(`Map '${name}' needs an ItemProcessor`);
      c.itemProcessor = compileGraph(processor, graphs, `${name}/ItemProcessor`);
      // "The value of ItemsPath must be a Reference Path" (AWS, "ItemsPath (Map, JSONPath only)").
      if (typeof s.ItemsPath === 'string' && !compilePath(s.ItemsPath).keys)
        throw new DefinitionError(`Map '${name}': ItemsPath '${s.ItemsPath}' must be a reference path`);
      c.itemsPath = compileSelect(s.ItemsPath, 'ItemsPath');
      const selector = s.ItemSelector ?? s.Parameters;
      c.itemSelector = selector !== undefined ? compileTemplate(selector) : undefined;
      c.parameters = undefined;
      c.maxConcurrency = s.MaxConcurrency ?? 0;
      c.distributed = compileDistributed(name, s);
      if (c.distributed?.reader && s.ItemsPath !== undefined)
        throw new DefinitionError(`Map '${name}': ItemsPath cannot be used with ItemReader`);
      break;
    }
    case 'Fail':
      c.failError = compileFailField(s.Error, s.ErrorPath);
      c.failCause = compileFailField(s.Cause, s.CausePath);
      break;
  }
  return c;
}
