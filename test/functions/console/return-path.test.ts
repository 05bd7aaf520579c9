import { describe, expect, it } from 'vitest';
import { casePathOf, returnPath, safeReturn } from '../../../functions/console/return-path';

describe('where a sign-in returns to', () => {
  it('is the page asked for, with its query', () => {
    expect(returnPath('GET', '/cases/abc', {})).toBe('/cases/abc');
    expect(returnPath('GET', '/services/care-plan', { status: 'ACTIVE', lang: 'en' })).toBe(
      '/services/care-plan?status=ACTIVE&lang=en',
    );
    expect(returnPath('GET', '', {})).toBeUndefined();
  });

  it('is the case of a form sent with an ended session, saying so; the start form for a new case', () => {
    expect(returnPath('POST', '/cases/abc/steps/collect', {})).toBe('/cases/abc?notice=expired');
    expect(returnPath('POST', '/cases/abc/proposals/p1', {})).toBe('/cases/abc?notice=expired');
    expect(returnPath('POST', '/services/care-plan/cases', {})).toBe('/services/care-plan/new');
    expect(returnPath('POST', '/logout', {})).toBeUndefined();
  });

  it("knows the case of a path, for the error page's way back", () => {
    expect(casePathOf('/cases/abc/steps/collect')).toBe('/cases/abc');
    expect(casePathOf('/cases/abc')).toBe('/cases/abc');
    expect(casePathOf('/cases/abc.def')).toBeUndefined();
    expect(casePathOf('/services/care-plan')).toBeUndefined();
  });

  it('never leaves the console', () => {
    for (const path of [
      '//evil.example',
      'https://evil.example',
      'cases/x',
      '/cases/../x',
      '/a b',
      '/x?y=<z>',
    ])
      expect(safeReturn(path), path).toBeUndefined();
    expect(safeReturn('/rounds/r1?lang=nl')).toBe('/rounds/r1?lang=nl');
  });
});
