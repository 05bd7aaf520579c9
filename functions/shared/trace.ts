import { newSpanId, newTraceId, type Trace } from '../domain/processing-log';

// The trace a request's processing log records belong to (Logboek Dataverwerkingen follows W3C Trace
// Context): the caller's `traceparent` when it sends one, else the X-Ray trace Lambda runs the
// invocation under (API Gateway and Step Functions pass it on), else a new one. The request gets a
// span of its own, the parent of the records it writes.

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;
/** Root=1-<8 hex epoch seconds>-<24 hex>: together the 16 bytes of a W3C trace id. */
const XRAY_ROOT = /(?:^|;)Root=1-([0-9a-f]{8})-([0-9a-f]{24})(?:;|$)/;
const ZEROS = /^0+$/;

export function traceOf(headers: Record<string, string | undefined> = {}): Trace {
  const w3c = TRACEPARENT.exec(headers.traceparent?.trim().toLowerCase() ?? '')?.[1];
  const xray = XRAY_ROOT.exec(process.env._X_AMZN_TRACE_ID ?? '');
  const traceId = w3c && !ZEROS.test(w3c) ? w3c : xray ? `${xray[1]}${xray[2]}` : newTraceId();
  return { traceId, spanId: newSpanId() };
}
