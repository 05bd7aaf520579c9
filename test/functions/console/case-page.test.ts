import { describe, expect, it } from 'vitest';
import { caseBody } from '../../../functions/console/case-page';
import { PiiVault } from '../../../functions/domain/pii';
import type { CaseView } from '../../../functions/domain/ports';
import { caseDto } from '../../../functions/domain/views';
import { findService } from '../../../workflows/catalog';
import type { Service } from '../../../workflows/schema';

const carePlan = findService('care-plan') as Service;
const vault = new PiiVault('console-case-page-test-key-0123456789abcdefgh');
const at = '2026-03-01T00:00:00.000Z';

const record = (stepId: string, actor: 'citizen' | 'provider', visit: number, status: 'OPEN' | 'DONE') => ({
  caseId: 'c3',
  stepId,
  actor,
  status,
  visit,
  openedAt: at,
  dueAt: '2026-03-05T00:00:00.000Z',
  expiresAt: '2026-03-09T00:00:00.000Z',
  reminders: 0,
  escalated: false,
  ...(status === 'DONE' && { submittedAt: at, data: { agrees: false, note: 'te weinig uren' } }),
});

/** The console's card of accept-plan while the provider writes a new plan (visit 4) after a "no" in visit 2. */
function acceptCard(locale: 'nl' | 'en'): string {
  const view: CaseView = {
    case: {
      caseId: 'c3',
      serviceId: carePlan.id,
      org: 'zorg-utrecht',
      status: 'ACTIVE',
      stage: 'agreement',
      citizen: { locale: 'nl' },
      createdAt: at,
      updatedAt: at,
      requestHash: 'h',
      linkExpiresAt: '2099-01-01T00:00:00.000Z',
      ttl: 1,
    },
    steps: [record('propose-plan', 'provider', 4, 'OPEN'), record('accept-plan', 'citizen', 2, 'DONE')],
    events: [],
  };
  const dto = caseDto(carePlan, view, 'provider', vault, 'all', new Date('2026-03-02T00:00:00.000Z'));
  const html = caseBody({ dto, service: carePlan, locale, base: '/console', csrf: 'x', citizenLink: '/c/t' });
  return html.slice(html.indexOf('id="step-accept-plan"')).split('class="cp-step"')[0] ?? '';
}

describe("the console's case page", () => {
  it("shows a step not reached again in this visit as not yet, with last time's answer as such", () => {
    const html = acceptCard('nl');
    expect(html).toContain('Nog niet aan de beurt');
    expect(html).not.toContain('Ingediend op');
    expect(html).toMatch(/Antwoord van de vorige keer:.*<dl>.*te weinig uren/);
    expect(acceptCard('en')).toContain('Answer from last time:');
  });
});
