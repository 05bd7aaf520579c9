/**
 * Distributed Map settings, checked when the machine is compiled: ItemReader (S3 getObject of a
 * CSV, JSON or JSONL object), ItemBatcher, tolerated failures and the processor mode. Whatever the
 * local engine cannot honour is rejected here with a clear message instead of being ignored.
 */

import type { AslState } from './asl';
import { isObject, type Json, type JsonObject } from './json';
import { compileTemplate, type Template } from './payload-template';
import { DefinitionError } from './states-errors';

export interface ReaderConfig {
  inputType: 'CSV' | 'JSON' | 'JSONL';
  /** CSVHeaderLocation GIVEN: the column names; FIRST_ROW reads them from the file. */
  headers?: string[];
  delimiter: string;
  maxItems?: number;
}

export interface DistributedMapConfig {
  /** ItemReader: Parameters (Bucket, Key) evaluated against the Map's effective input. */
  reader?: { parameters: Template; config: ReaderConfig };
  /** Items per child execution; undefined = no ItemBatcher (each item is a child's input). */
  batchSize?: number;
  batchInput?: Template;
  toleratedCount?: number;
  toleratedPercent?: number;
  /** Label (or the state name), used in the Map Run ARN. */
  label: string;
  /** False when ResultPath is null: child outputs are not kept at all. */
  collect: boolean;
}

export const S3_GET_OBJECT = 'arn:aws:states:::s3:getObject';
const DELIMITERS: Record<string, string> = { COMMA: ',', SEMICOLON: ';', PIPE: '|', TAB: '\t', SPACE: ' ' };
const DISTRIBUTED_ONLY = [
  'ItemReader',
  'ItemBatcher',
  'ToleratedFailurePercentage',
  'ToleratedFailureCount',
  'Label',
] as const;
const UNSUPPORTED = [
  'ResultWriter',
  'ToleratedFailureCountPath',
  'ToleratedFailurePercentagePath',
  'MaxConcurrencyPath',
];

const isInt = (v: unknown, min: number): v is number => Number.isInteger(v) && (v as number) >= min;

export function compileDistributed(name: string, s: AslState): DistributedMapConfig | undefined {
  const where = `Map '${name}'`;
  const raw = s as unknown as JsonObject;
  const fail = (why: string): never => {
    throw new DefinitionError(`${where}: ${why}`);
  };
  for (const f of UNSUPPORTED) if (raw[f] !== undefined) fail(`${f} is not supported by the local engine`);
  if (s.MaxConcurrency !== undefined && !isInt(s.MaxConcurrency, 0))
    fail('MaxConcurrency must be a non-negative integer');
  const pc = s.ItemProcessor?.ProcessorConfig;
  if (pc !== undefined && !isObject(pc)) fail('ItemProcessor.ProcessorConfig must be an object');
  const mode = pc?.Mode ?? 'INLINE';
  if (mode !== 'INLINE' && mode !== 'DISTRIBUTED')
    fail(`ProcessorConfig.Mode must be INLINE or DISTRIBUTED, got ${JSON.stringify(mode)}`);
  if (mode === 'INLINE') {
    const used = DISTRIBUTED_ONLY.find((f) => raw[f] !== undefined);
    if (used) fail(`${used} needs ItemProcessor.ProcessorConfig.Mode DISTRIBUTED`);
    return undefined;
  }
  const type = pc?.ExecutionType;
  if (type !== 'STANDARD' && type !== 'EXPRESS')
    fail('ProcessorConfig.ExecutionType must be STANDARD or EXPRESS in DISTRIBUTED mode');
  const tc = s.ToleratedFailureCount;
  if (tc !== undefined && !isInt(tc, 0)) fail('ToleratedFailureCount must be a non-negative integer');
  const tp = s.ToleratedFailurePercentage;
  if (tp !== undefined && (typeof tp !== 'number' || tp < 0 || tp > 100))
    fail('ToleratedFailurePercentage must be a number from 0 to 100');
  if (s.Label !== undefined && (typeof s.Label !== 'string' || s.Label.length > 40))
    fail('Label must be a string of at most 40 characters');
  return {
    reader: s.ItemReader === undefined ? undefined : compileReader(s.ItemReader, fail),
    ...compileBatcher(s.ItemBatcher, fail),
    toleratedCount: tc,
    toleratedPercent: tp,
    label: s.Label ?? name,
    collect: s.ResultPath !== null,
  };
}

function compileReader(r: Json, fail: (why: string) => never): DistributedMapConfig['reader'] {
  if (!isObject(r)) return fail('ItemReader must be an object');
  if (r.Resource !== S3_GET_OBJECT)
    fail(`ItemReader.Resource must be ${S3_GET_OBJECT} (the only reader of the local engine)`);
  const p = r.Parameters;
  if (!isObject(p)) return fail('ItemReader.Parameters must be an object with Bucket and Key');
  for (const k of ['Bucket', 'Key'])
    if (p[k] === undefined && p[`${k}.$`] === undefined) fail(`ItemReader.Parameters needs ${k}`);
  const c = r.ReaderConfig;
  if (!isObject(c)) return fail('ItemReader.ReaderConfig with an InputType is required for s3:getObject');
  if (c.MaxItemsPath !== undefined) fail('ReaderConfig.MaxItemsPath is not supported by the local engine');
  const inputType = c.InputType;
  if (inputType !== 'CSV' && inputType !== 'JSON' && inputType !== 'JSONL')
    return fail(`ReaderConfig.InputType must be CSV, JSON or JSONL, got ${JSON.stringify(inputType)}`);
  if (c.MaxItems !== undefined && !isInt(c.MaxItems, 1))
    fail('ReaderConfig.MaxItems must be a positive integer');
  const config: ReaderConfig = { inputType, delimiter: ',', maxItems: c.MaxItems as number | undefined };
  const csvOnly = ['CSVHeaderLocation', 'CSVHeaders', 'CSVDelimiter'];
  if (inputType !== 'CSV') {
    const used = csvOnly.find((f) => c[f] !== undefined);
    if (used) fail(`ReaderConfig.${used} is only allowed with InputType CSV`);
    return { parameters: compileTemplate(p), config };
  }
  const loc = c.CSVHeaderLocation;
  if (loc !== 'FIRST_ROW' && loc !== 'GIVEN')
    fail('ReaderConfig.CSVHeaderLocation must be FIRST_ROW or GIVEN');
  const headers = c.CSVHeaders;
  if (loc === 'GIVEN') {
    if (!Array.isArray(headers) || headers.length === 0 || !headers.every((h) => typeof h === 'string'))
      fail('ReaderConfig.CSVHeaders must be a non-empty array of strings with CSVHeaderLocation GIVEN');
    config.headers = headers as string[];
  } else if (headers !== undefined)
    fail('ReaderConfig.CSVHeaders is only allowed with CSVHeaderLocation GIVEN');
  const d = c.CSVDelimiter ?? 'COMMA';
  const delimiter = typeof d === 'string' ? DELIMITERS[d] : undefined;
  if (!delimiter) fail(`ReaderConfig.CSVDelimiter must be one of ${Object.keys(DELIMITERS).join(', ')}`);
  config.delimiter = delimiter as string;
  return { parameters: compileTemplate(p), config };
}

function compileBatcher(
  b: Json | undefined,
  fail: (why: string) => never,
): Pick<DistributedMapConfig, 'batchSize' | 'batchInput'> {
  if (b === undefined) return {};
  if (!isObject(b)) return fail('ItemBatcher must be an object');
  for (const f of ['MaxItemsPerBatchPath', 'MaxInputBytesPerBatchPath'])
    if (b[f] !== undefined) fail(`ItemBatcher.${f} is not supported by the local engine`);
  const size = b.MaxItemsPerBatch;
  const bytes = b.MaxInputBytesPerBatch;
  if (size === undefined && bytes === undefined)
    fail('ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch');
  if (size !== undefined && !isInt(size, 1)) fail('ItemBatcher.MaxItemsPerBatch must be a positive integer');
  // MaxInputBytesPerBatch is checked but not applied: batches are cut by item count only.
  if (bytes !== undefined && (!isInt(bytes, 1) || (bytes as number) > 262_144))
    fail('ItemBatcher.MaxInputBytesPerBatch must be an integer from 1 to 262144');
  if (b.BatchInput !== undefined && !isObject(b.BatchInput)) fail('ItemBatcher.BatchInput must be an object');
  return {
    // Without MaxItemsPerBatch AWS fills a batch up to the byte limit; locally: 100 items.
    batchSize: (size as number | undefined) ?? 100,
    batchInput: b.BatchInput === undefined ? undefined : compileTemplate(b.BatchInput),
  };
}
