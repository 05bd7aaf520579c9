import { afterEach, describe, expect, it } from 'vitest';
import { traceOf } from '../../../functions/shared/trace';

// The processing log's trace id: the caller's W3C trace, else Lambda's X-Ray trace, else a new one.

const xray = process.env._X_AMZN_TRACE_ID;
afterEach(() => {
  if (xray === undefined) delete process.env._X_AMZN_TRACE_ID;
  else process.env._X_AMZN_TRACE_ID = xray;
});

describe('traceOf', () => {
  it("takes the trace id of a W3C traceparent, with a span of the request's own", () => {
    const trace = traceOf({ traceparent: '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01' });
    expect(trace.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(trace.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(trace.spanId).not.toBe('00f067aa0ba902b7');
  });

  it('else the X-Ray root of the invocation (16 bytes), else a new random one', () => {
    process.env._X_AMZN_TRACE_ID =
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    expect(traceOf({}).traceId).toBe('5759e988bd862e3fe1be46a994272793');
    expect(traceOf({ traceparent: 'garbage' }).traceId).toBe('5759e988bd862e3fe1be46a994272793');
    // W3C forbids an all-zero trace id.
    const zeros = `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`;
    expect(traceOf({ traceparent: zeros }).traceId).toBe('5759e988bd862e3fe1be46a994272793');
    process.env._X_AMZN_TRACE_ID = 'Root=1-abc';
    const fresh = traceOf({});
    expect(fresh.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceOf({}).traceId).not.toBe(fresh.traceId);
  });
});
