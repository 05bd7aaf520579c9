import { requireEnv } from './env';
import { log } from './logger';
import { SMS_SEND_FAILED } from './metric-names';

// Custom metrics as CloudWatch embedded metric format (EMF): one JSON line on stdout, which Lambda's log
// delivers and CloudWatch turns into the metric. Written by hand, like logger.ts, rather than through
// Powertools Metrics: bundling that library cost a function that texts about 2 M instructions of its
// cold start (`npm run bench:coldstart:instructions`), for one counter. Written at once, so a metric is
// never lost with a frozen or failed invocation.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html

/** The stack whose function counts (the SMS environment group, lib/constructs/sms.ts); read at load. */
const STACK = requireEnv('METRIC_STACK');

/** One SmsSendFailed (Count). Never throws: a metric must not hide the failure it counts. */
export async function countSmsSendFailed(): Promise<void> {
  const { namespace, metricName, service } = SMS_SEND_FAILED;
  try {
    const record = {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: namespace,
            Dimensions: [['service', 'stack']],
            Metrics: [{ Name: metricName, Unit: 'Count' }],
          },
        ],
      },
      service,
      stack: STACK,
      [metricName]: 1,
    };
    process.stdout.write(`${JSON.stringify(record)}\n`);
  } catch (error) {
    await log('warn', 'metric not emitted', { metric: metricName, error: errorName(error) });
  }
}

const errorName = (error: unknown) => (error instanceof Error ? error.name : 'unknown');
