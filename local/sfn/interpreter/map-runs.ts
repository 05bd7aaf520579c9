/**
 * Distributed Map run records: the Map Run ARN and the tolerated failure threshold
 * (https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html).
 */
import { randomUUID } from 'node:crypto';
import type { DistributedMapConfig } from '../language/distributed-map-config';
import { ExceedToleratedFailureThreshold, type StatesError } from '../language/states-errors';
import type { Execution } from './execution';
import type { MapRun } from './execution-records';

export function mapRunArn(execution: Execution, region: string, label: string): string {
  const account = execution.record.arn.split(':')[4] ?? '000000000000';
  return `arn:aws:states:${region}:${account}:mapRun:${execution.machine.name}/${label}:${randomUUID()}`;
}

/** AWS: "exceeds" the count, or the percentage of all items (known once the reader is done). */
export function overThreshold(config: DistributedMapConfig, mapRun: MapRun): StatesError | null {
  const { toleratedCount: count, toleratedPercent: percent } = config;
  const failed = mapRun.itemsFailed;
  const over =
    count === undefined && percent === undefined
      ? failed > 0
      : (count !== undefined && failed > count) ||
        (percent !== undefined &&
          mapRun.readerDone === true &&
          mapRun.itemsRead > 0 &&
          (failed * 100) / mapRun.itemsRead > percent);
  if (!over) return null;
  const of = mapRun.readerDone ? `${mapRun.itemsRead}` : `at least ${mapRun.itemsRead}`;
  const limits = [count !== undefined ? `${count} items` : '', percent !== undefined ? `${percent}%` : '']
    .filter(Boolean)
    .join(' or ');
  return new ExceedToleratedFailureThreshold(
    `The tolerated failure threshold was exceeded: ${failed} of ${of} items failed (tolerated: ${limits || 'none'})`,
  );
}
