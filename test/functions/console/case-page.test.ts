import { describe, expect, it } from 'vitest';
import { caseBody } from '../../../functions/console/case-page';
import { PiiVault } from '../../../functions/domain/pii';
import type { CaseView } from '../../../functions/domain/ports';
import { caseDto } from '../../../functions/domain/views';
import { agreementCase, agreementStep, carePlan } from '../../support/care-plan-rerun';

const vault = new PiiVault('console-case-page-test-key-0123456789abcdefgh');

/** The console's card of accept-plan while the provider writes a new plan (visit 4) after a "no" in visit 2. */
function acceptCard(locale: 'nl' | 'en'): string {
  const steps = [
    agreementStep('propose-plan', 4, 'OPEN'),
    agreementStep('accept-plan', 2, 'DONE', { agrees: false, note: 'te weinig uren' }),
  ];
  const view: CaseView = { case: agreementCase(), steps, events: [] };
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
