import { expect, vi } from 'vitest';

// The CloudWatch embedded-metric-format records functions/shared/metrics.ts writes to stdout (Lambda's log),
// parsed, so a test asserts what CloudWatch would read: namespace, dimensions, metric and value.

export interface EmfRecord {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

export function captureMetrics() {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  });
  return {
    records(): EmfRecord[] {
      return lines
        .flatMap((chunk) => chunk.split('\n'))
        .filter((line) => line.includes('"_aws"'))
        .map((line) => JSON.parse(line) as EmfRecord);
    },
    restore: () => spy.mockRestore(),
  };
}

/** The one SmsSendFailed record shape the alarm reads: namespace coproduce, dimension service only. */
export const smsSendFailedRecord = {
  _aws: {
    Timestamp: expect.any(Number),
    CloudWatchMetrics: [
      {
        Namespace: 'coproduce',
        Dimensions: [['service', 'stack']],
        Metrics: [{ Name: 'SmsSendFailed', Unit: 'Count' }],
      },
    ],
  },
  service: 'coproduce',
  stack: 'coproduce-test',
  SmsSendFailed: 1,
};
