/**
 * The journal's record format. Records keep the short field names the first journal used
 * (`x`, `ph`, `en`...), so journals written before the interpreter spoke whole words replay
 * unchanged; this file is the only place that knows them. In memory everything is whole words
 * (interpreter/execution.ts).
 */
import type { Phase } from '../interpreter/execution';
import type {
  ExecutionPayloads,
  ExecutionRecord,
  ExecutionStatus,
  HistoryEvent,
  StateMachineRecord,
} from '../interpreter/execution-records';
import type { Json } from '../language/json';

export interface StoredMachine {
  arn: string;
  name: string;
  definition: string;
  roleArn: string;
  type: string;
  created: number;
  deleted?: boolean;
  rev?: number;
}

export interface StoredExecution {
  key: number;
  arn: string;
  name: string;
  sm: string;
  rev?: number;
  input: string;
  st: ExecutionStatus;
  start: number;
  stop?: number;
  output?: string;
  error?: string;
  cause?: string;
  ne: number;
  nt: number;
  to?: number;
  redriveCount?: number;
  redriveDate?: number;
  redriveTokens?: { token: string; date: number }[];
  statusSequence?: number;
}

type StoredPhase = Exclude<Phase, 'children'> | 'kids';

interface StoredMapRun {
  arn: string;
  n: number;
  run: number;
  rd: number;
  ok: number;
  nf: number;
  eof?: boolean;
  src?: { b: string; k: string };
  bi?: Json;
  res?: [number, Json][];
  rb?: number;
}

export interface StoredThread {
  id: string;
  x: number;
  g: number;
  s: string;
  in: Json;
  ph: StoredPhase;
  en: number;
  rc: number;
  ra?: number[];
  due?: number;
  out?: Json;
  tok?: string;
  sub?: boolean;
  to?: number;
  hb?: number;
  hs?: number;
  at: number;
  p?: string;
  sl?: number;
  mi?: number;
  items?: Json[];
  eff?: Json;
  le: number;
  ev?: number;
  mr?: StoredMapRun;
  q?: boolean;
}

/** One journal line: machines, clock, executions, threads, dropped thread ids, history events. */
export interface JournalRecord {
  m?: StoredMachine;
  c?: number;
  x?: StoredExecution[];
  t?: StoredThread[];
  d?: string[];
  h?: [number, HistoryEvent][];
  /** Status changes up to this sequence number have been announced (status-notices.ts). */
  announced?: number;
}

export function encodeMachine(m: StateMachineRecord): StoredMachine {
  const { arn, name, definition, roleArn, type, createdAt, deleted, revision } = m;
  return { arn, name, definition, roleArn, type, created: createdAt, deleted, rev: revision };
}

export function decodeMachine(m: StoredMachine): StateMachineRecord {
  const { arn, name, definition, roleArn, type, created, deleted, rev } = m;
  return { arn, name, definition, roleArn, type, createdAt: created, deleted, revision: rev ?? 0 };
}

export function encodeExecution(r: ExecutionRecord, p: ExecutionPayloads): StoredExecution {
  return {
    key: r.key,
    rev: r.revision,
    arn: r.arn,
    name: r.name,
    sm: r.stateMachineArn,
    input: p.input,
    st: r.status,
    start: r.startDate,
    stop: r.stopDate,
    output: p.output,
    error: p.error,
    cause: p.cause,
    ne: r.nextEventId,
    nt: r.nextThreadNumber,
    to: r.timeoutAt,
    redriveCount: r.redriveCount,
    redriveDate: r.redriveDate,
    redriveTokens: r.redriveTokens,
    statusSequence: r.statusSequence,
  };
}

export function decodeExecution(x: StoredExecution): {
  record: ExecutionRecord;
  payloads: ExecutionPayloads;
} {
  return {
    record: {
      key: x.key,
      arn: x.arn,
      name: x.name,
      stateMachineArn: x.sm,
      revision: x.rev ?? 0,
      status: x.st,
      startDate: x.start,
      stopDate: x.stop,
      nextEventId: x.ne,
      nextThreadNumber: x.nt,
      timeoutAt: x.to,
      redriveCount: x.redriveCount,
      redriveDate: x.redriveDate,
      redriveTokens: x.redriveTokens,
      statusSequence: x.statusSequence,
    },
    payloads: { input: x.input, output: x.output, error: x.error, cause: x.cause },
  };
}
