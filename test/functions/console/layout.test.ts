import { describe, expect, it } from 'vitest';
import { consolePage } from '../../../functions/console/layout';
import type { Session } from '../../../functions/console/session';

// The console's frame names the staff's organisation as people know it, and keeps table headers whole.

const session: Session = {
  sub: 'staff-1',
  email: 'j.jansen@utrecht.nl',
  org: 'gemeente-utrecht',
  orgKind: 'municipality',
  sid: 'a'.repeat(22),
  exp: 2_000_000_000,
};

const html = (locale: 'nl' | 'en') =>
  consolePage({ locale, title: 'Zaken', base: '/console', self: '/console', session, csrf: 'c', body: '' });

describe('the console frame', () => {
  it('shows the organisation by its display name in the header and the signed-in line', () => {
    const page = html('nl');
    expect(page).toContain('Behandelaarsconsole · Gemeente Utrecht');
    expect(page).toContain('Aangemeld als <strong>j.jansen@utrecht.nl</strong> (Gemeente Utrecht)');
    expect(page).not.toContain('gemeente-utrecht');
    expect(html('en')).toContain('Signed in as <strong>j.jansen@utrecht.nl</strong> (Gemeente Utrecht)');
  });

  it('undoes the root stylesheet’s breaking inside words for tables', () => {
    const page = html('nl');
    expect(page).toMatch(/th,td\{[^}]*word-break:normal[^}]*hyphens:manual/);
    expect(page).toContain('thead th{white-space:nowrap}');
  });
});
