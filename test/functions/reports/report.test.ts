import { describe, expect, it } from 'vitest';
import { BUCKET_BOUNDS, bucketOf, emptyHistogram, percentile } from '../../../functions/reports/histogram';
import { buildReport, reportRange, reportService, serviceReport } from '../../../functions/reports/report';
import { csvCell, reportCsv } from '../../../functions/reports/report-csv';
import type { Service } from '../../../workflows/schema';
import { testService } from '../../support/service-fixture';
import { MemoryReportTally } from './memory-tally';

// The service report from its aggregates: percentiles from histogram buckets, the range rule, who
// may see it, and the CSV.

const histogramOf = (values: number[]) => {
  const h = emptyHistogram();
  for (const v of values) h[bucketOf(v)] = (h[bucketOf(v)] ?? 0) + 1;
  return h;
};

describe('histogram', () => {
  it('keeps zero apart and grows by sqrt(2) per bucket up to a year', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(1)).toBe(1);
    expect(bucketOf(60)).toBe(1);
    expect(bucketOf(61)).toBe(2);
    expect(BUCKET_BOUNDS.at(-1)).toBeGreaterThanOrEqual(366 * 86_400);
    for (let i = 2; i < BUCKET_BOUNDS.length; i++)
      expect((BUCKET_BOUNDS[i] as number) / (BUCKET_BOUNDS[i - 1] as number)).toBeLessThan(1.42);
  });

  it('finds percentiles within the bucket of the exact value', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 60 * (i + 1) * 7);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.5, 0.9]) {
      const exact = sorted[Math.ceil(q * values.length) - 1] as number;
      const estimate = percentile(histogramOf(values), q) as number;
      expect(bucketOf(estimate)).toBe(bucketOf(exact));
      expect(Math.abs(estimate - exact) / exact).toBeLessThan(0.42);
    }
    expect(percentile(histogramOf([0, 0, 0, 5000]), 0.5)).toBe(0);
    expect(percentile(emptyHistogram(), 0.5)).toBeUndefined();
  });
});

describe('reportRange', () => {
  const now = new Date('2026-03-31T12:00:00Z');
  it('defaults to the last 30 days and takes a valid range', () => {
    expect(reportRange({}, now)).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(reportRange({ from: '2026-01-01', to: '2026-01-01' }, now)).toEqual({
      from: '2026-01-01',
      to: '2026-01-01',
    });
  });
  it.each([
    [{ from: '2026-02-30', to: '2026-03-01' }, 'from'],
    [{ from: '2026-03-02', to: '2026-03-01' }, 'from'],
    [{ from: '2020-01-01', to: '2026-03-01' }, 'from'],
    [{ from: '2026-01-01', to: '2026-13-01' }, 'to'],
  ])('refuses %j with a 400 naming %s', (range, field) => {
    expect(() => reportRange(range, now)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    try {
      reportRange(range, now);
    } catch (error) {
      expect(Object.keys((error as { details: { fields: object } }).details.fields)).toEqual([field]);
    }
  });
});

describe('reportService', () => {
  const find = (id: string) => (id === testService.id ? (testService as Service) : undefined);
  it('is for the kind of organisation that provides the service; another kind gets a 403', () => {
    expect(reportService(find, testService.id, { orgKind: 'municipality' }).id).toBe(testService.id);
    expect(() => reportService(find, testService.id, { orgKind: 'school' })).toThrow(
      expect.objectContaining({ code: 'NOT_YOUR_SERVICE' }),
    );
    expect(() => reportService(find, 'nothing', { orgKind: 'municipality' })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
  });
});

describe('the report', () => {
  it("adds up the organisation's days in the range, per stage and side", async () => {
    const tally = new MemoryReportTally();
    const add = (
      org: string,
      day: string,
      stageId: string,
      side: 'citizen' | 'provider',
      counts: Record<string, number>,
      id: string,
    ) =>
      tally.addOnce({ caseId: id, id, ttl: 1 }, [
        { key: { org, serviceId: testService.id, day, stageId, side }, counts },
      ]);
    await add('gm1', '2026-03-01', 'prepare', 'citizen', { visits: 1, waited: 7200, shared: 60, h8: 1 }, 'a');
    await add('gm1', '2026-03-02', 'prepare', 'citizen', { visits: 1, waited: 0, shared: 60, h0: 1 }, 'b');
    await add(
      'gm1',
      '2026-03-02',
      'prepare',
      'provider',
      { visits: 2, waited: 0, shared: 120, h0: 2, reminders: 3 },
      'c',
    );
    await add('gm1', '2026-03-05', 'collect', 'citizen', { overdue: 1 }, 'd');
    await add('gm2', '2026-03-02', 'prepare', 'citizen', { visits: 1, waited: 99, h3: 1 }, 'e');
    const report = await serviceReport(tally, { org: 'gm1' }, testService as Service, {
      from: '2026-03-01',
      to: '2026-03-04',
    });
    expect(report.orgName).toBe('Gm1');
    const prepare = report.stages.find((s) => s.stageId === 'prepare');
    expect(prepare?.citizen).toMatchObject({ visits: 2, meanSeconds: 3600, medianSeconds: 0, reminders: 0 });
    expect(prepare?.provider).toMatchObject({ visits: 2, medianSeconds: 0, p90Seconds: 0, reminders: 3 });
    expect(prepare?.sharedMeanSeconds).toBe(60);
    // Out of range (5 March) and another organisation's figures are not in it.
    expect(report.totals.citizen).toMatchObject({ visits: 2, overdue: 0 });
  });

  it('writes CSV that a spreadsheet cannot run as a formula', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+31')).toBe("'+31");
    expect(csvCell('@a')).toBe("'@a");
    expect(csvCell(-5)).toBe('-5');
    const evil = {
      ...testService,
      stages: testService.stages.map((s) => ({ ...s, title: { nl: '=1+1', en: '-2' } })),
    };
    const csv = reportCsv(
      buildReport('gm1', evil as Service, { from: '2026-03-01', to: '2026-03-01' }, []),
      'nl',
    );
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'stage,title,side,visits,median_seconds,p90_seconds,mean_seconds,overdue,reminders,feedback_yes,feedback_no',
    );
    expect(lines[1]).toBe("prepare,'=1+1,citizen,0,,,,0,0,0,0");
    expect(lines).toHaveLength(1 + 2 * testService.stages.length + 2);
  });
});
