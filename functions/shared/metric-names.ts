// The custom metrics' names, apart from the code that writes them (metrics.ts reads its environment at
// load): the stack's constructs import these at synth, where no function's environment exists.

/**
 * The one metric: its namespace and dimensions, which Monitoring's alarm reads (lib/constructs/monitoring.ts).
 * `stack` tells the stages apart: dev and prod deployed in one account each alarm on their own sends.
 */
export const SMS_SEND_FAILED = {
  namespace: 'coproduce',
  metricName: 'SmsSendFailed',
  service: 'coproduce',
  stackVariable: 'METRIC_STACK',
} as const;
