import { describe, expect, it } from 'vitest';
import { LINK_MARGIN_DAYS, linkExtension } from '../../../functions/domain/link-life';

const DAY = 86_400_000;
const at = (iso: string, days = 0) => new Date(Date.parse(iso) + days * DAY).toISOString();
const step = { expiresAt: '2027-04-20T00:00:00.000Z' };
const ttl = Date.parse('2028-01-01T00:00:00.000Z') / 1000;

describe('how long the citizen link works', () => {
  it('moves on to LINK_TTL_DAYS past a step that expires within the margin of its end', () => {
    const record = { linkExpiresAt: '2027-04-10T00:00:00.000Z', ttl };
    expect(linkExtension(record, step, 90)).toBe(at(step.expiresAt, 90));
  });

  it('stays when it covers the step and the margin after it', () => {
    const record = { linkExpiresAt: at(step.expiresAt, LINK_MARGIN_DAYS), ttl };
    expect(linkExtension(record, step, 90)).toBeUndefined();
  });

  it('never outlives the case (its retention), and never moves back', () => {
    const short = {
      linkExpiresAt: '2027-04-10T00:00:00.000Z',
      ttl: Date.parse('2027-05-01T00:00:00.000Z') / 1000,
    };
    expect(linkExtension(short, step, 90)).toBe('2027-05-01T00:00:00.000Z');
    const ending = { linkExpiresAt: '2027-05-02T00:00:00.000Z', ttl: short.ttl };
    expect(linkExtension(ending, step, 90)).toBeUndefined();
  });
});
