import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { log } from '../../../functions/shared/logger';

const written: string[] = [];
let level: string | undefined;

beforeEach(() => {
  written.length = 0;
  level = process.env.POWERTOOLS_LOG_LEVEL;
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    written.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  if (level === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
  else process.env.POWERTOOLS_LOG_LEVEL = level;
  delete process.env.AWS_LAMBDA_LOG_LEVEL;
  delete process.env._X_AMZN_TRACE_ID;
});

const lines = () => written.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('log', () => {
  it("writes one JSON line in Powertools' shape, with the attributes and the X-Ray trace", async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    process.env._X_AMZN_TRACE_ID =
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    await log('warn', 'step not open', { caseId: 'c1', attempt: 2 });
    expect(written).toHaveLength(1);
    expect(written[0]?.endsWith('\n')).toBe(true);
    expect(lines()[0]).toEqual({
      level: 'WARN',
      message: 'step not open',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      service: process.env.POWERTOOLS_SERVICE_NAME ?? 'coproduce',
      xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      caseId: 'c1',
      attempt: 2,
    });
  });

  it('writes only at or above the level set (POWERTOOLS_LOG_LEVEL, else AWS_LAMBDA_LOG_LEVEL)', async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
    await log('info', 'quiet');
    await log('error', 'loud');
    expect(lines().map((line) => line.message)).toEqual(['loud']);
    delete process.env.POWERTOOLS_LOG_LEVEL;
    process.env.AWS_LAMBDA_LOG_LEVEL = 'ERROR';
    await log('warn', 'quiet too');
    expect(lines().map((line) => line.message)).toEqual(['loud']);
    process.env.AWS_LAMBDA_LOG_LEVEL = 'SILENT';
    await log('error', 'silenced');
    expect(lines()).toHaveLength(1);
  });

  it('writes an error as its name, message and stack, and never throws on what it cannot write', async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    await log('error', 'failed', { error: new TypeError('bad') });
    expect(lines()[0]?.error).toMatchObject({ name: 'TypeError', message: 'bad', stack: expect.any(String) });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    await expect(log('error', 'cycle', { cycle })).resolves.toBeUndefined();
    expect(written).toHaveLength(1);
  });
});
