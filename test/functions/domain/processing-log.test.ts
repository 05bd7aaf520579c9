import { describe, expect, it } from 'vitest';
import {
  freshTrace,
  processingEntry,
  processingRecords,
  type Staff,
} from '../../../functions/domain/processing-log';
import { fixedClock } from '../../support/fakes';
import { testService } from '../../support/service-fixture';
import { TRACE } from '../../support/staff';

// One record per data subject (case) and action, shaped after the Logboek Dataverwerkingen.

const staff: Staff = {
  provider: { org: 'gemeente-utrecht', orgKind: 'municipality', who: 'staff-7' },
  trace: TRACE,
};
const clock = fixedClock('2026-12-03T10:15:00.000Z');
const find = (id: string) => (id === testService.id ? testService : undefined);

describe('processing records', () => {
  it('writes one record per case with personal data, each its own span under the request', () => {
    const records = processingRecords(
      staff,
      'read',
      [
        { caseId: 'a', serviceId: 'waste-collection', categories: ['answers', 'contact'] },
        { caseId: 'b', serviceId: 'waste-collection', categories: [] },
        { caseId: 'c', serviceId: 'waste-collection', categories: ['reference'] },
      ],
      find,
      clock,
    );
    expect(records).toEqual([
      {
        caseId: 'a',
        at: '2026-12-03T10:15:00.000Z',
        action: 'read',
        // Always in one order, whatever order they were found in.
        categories: ['contact', 'answers'],
        org: 'gemeente-utrecht',
        by: 'staff-7',
        serviceId: 'waste-collection',
        activity: 'afvalinzameling',
        traceId: TRACE.traceId,
        spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
        parentSpanId: TRACE.spanId,
      },
      expect.objectContaining({ caseId: 'c', categories: ['reference'] }),
    ]);
    expect(records[0]?.spanId).not.toBe(records[1]?.spanId);
  });

  it('always records an erasure, even of a case that held nothing personal any more', () => {
    const [record] = processingRecords(
      staff,
      'erase',
      [{ caseId: 'a', serviceId: 'waste-collection', categories: [] }],
      find,
      clock,
      { reasonEnc: 'v1.sealed' },
    );
    expect(record).toMatchObject({ action: 'erase', categories: [], reasonEnc: 'v1.sealed' });
  });

  it('shows the citizen organisation, purpose, categories and action: no staff, no trace', () => {
    const [record] = processingRecords(
      staff,
      'read',
      [{ caseId: 'a', serviceId: 'waste-collection', categories: ['answers'] }],
      find,
      clock,
    );
    if (!record) throw new Error('no record');
    expect(processingEntry(record, testService)).toEqual({
      at: '2026-12-03T10:15:00.000Z',
      organisation: 'Gemeente Utrecht',
      purpose: testService.processingActivity.purpose,
      categories: ['answers'],
      action: 'read',
    });
  });

  it('makes fresh traces of 16 and 8 bytes', () => {
    const trace = freshTrace();
    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(trace.spanId).toMatch(/^[0-9a-f]{16}$/);
  });
});
