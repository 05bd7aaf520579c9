import type { Metrics } from '@aws-lambda-powertools/metrics';
import { log } from './logger';

// Custom metrics through Powertools Metrics: CloudWatch embedded metric format, written to the log
// and flushed at once, so a metric is never lost with a frozen or failed invocation. One namespace
// and the one dimension service=coproduce, so a single alarm covers every function that emits it.
// The library is imported on first use: only a failed send pays for it, never a cold start.

export const METRICS_NAMESPACE = 'coproduce';
export const SMS_SEND_FAILED = 'SmsSendFailed';

let metrics: Metrics | undefined;

/** One SmsSendFailed (Count). Never throws: a metric must not hide the failure it counts. */
export async function countSmsSendFailed(): Promise<void> {
  try {
    const { Metrics, MetricUnit } = await import('@aws-lambda-powertools/metrics');
    metrics ??= new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'coproduce' });
    metrics.addMetric(SMS_SEND_FAILED, MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
  } catch (error) {
    await log('warn', 'metric not emitted', { metric: SMS_SEND_FAILED, error: errorName(error) });
  }
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : 'unknown');
