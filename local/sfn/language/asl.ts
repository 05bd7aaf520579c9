/**
 * The Amazon States Language as written in a definition: the shapes the compiler reads
 * (definition.ts checks every field before anything runs).
 */
import type { Json, JsonObject } from './json';

export interface AslRetrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface AslCatcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
}

export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Comment?: string;
  InputPath?: string | null;
  OutputPath?: string | null;
  ResultPath?: string | null;
  Parameters?: Json;
  ResultSelector?: Json;
  Result?: Json;
  Resource?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  HeartbeatSecondsPath?: string;
  Retry?: AslRetrier[];
  Catch?: AslCatcher[];
  Choices?: JsonObject[];
  Default?: string;
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  Branches?: AslGraph[];
  Iterator?: AslGraph;
  ItemProcessor?: AslGraph & { ProcessorConfig?: JsonObject };
  ItemsPath?: string;
  ItemSelector?: Json;
  MaxConcurrency?: number;
  ItemReader?: JsonObject;
  ItemBatcher?: JsonObject;
  ToleratedFailurePercentage?: number;
  ToleratedFailureCount?: number;
  Label?: string;
  ResultWriter?: JsonObject;
  Error?: string;
  Cause?: string;
  ErrorPath?: string;
  CausePath?: string;
}

export interface AslGraph {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  Comment?: string;
  Version?: string;
  QueryLanguage?: string;
}
