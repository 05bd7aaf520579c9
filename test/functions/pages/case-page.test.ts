import { describe, expect, it } from 'vitest';
import type { CaseStatus } from '../../../functions/domain/model';
import { PiiVault } from '../../../functions/domain/pii';
import type { CaseView } from '../../../functions/domain/ports';
import { caseDto } from '../../../functions/domain/views';
import { casePage } from '../../../functions/pages/case-page';
import { formatNumber } from '../../../functions/pages/i18n';
import { findService } from '../../../workflows/catalog';
import type { Service } from '../../../workflows/schema';
import { agreementCase, agreementStep, carePlan } from '../../support/care-plan-rerun';

const service = findService('waste-collection') as Service;
const vault = new PiiVault('case-page-test-key-0123456789abcdefghijklmn');
const present = 'present';

/** The citizen's page of a case whose citizen step `present` is still open in the table. */
function page(status: CaseStatus): string {
  const at = '2026-03-01T00:00:00.000Z';
  const view: CaseView = {
    case: {
      caseId: 'c1',
      serviceId: service.id,
      org: 'gemeente-utrecht',
      status,
      citizen: { locale: 'nl' },
      createdAt: at,
      updatedAt: at,
      requestHash: 'h',
      linkExpiresAt: '2099-01-01T00:00:00.000Z',
      ttl: 1,
    },
    steps: [
      {
        caseId: 'c1',
        stepId: present,
        actor: 'citizen',
        status: 'OPEN',
        visit: 1,
        openedAt: at,
        dueAt: '2026-03-05T00:00:00.000Z',
        expiresAt: '2026-03-09T00:00:00.000Z',
        reminders: 0,
        escalated: true,
      },
    ],
    events: [],
  };
  const dto = caseDto(service, view, 'citizen', vault, 'all', new Date('2026-03-10T00:00:00.000Z'));
  return casePage({ dto, service, locale: 'nl', basePath: '/c/t', root: '', csrf: 'x' });
}

/** The card of step `present`: from its opening tag to the next step's. */
const card = (html: string) => html.slice(html.indexOf(`id="step-${present}"`)).split('class="cp-step"')[0];

describe("the citizen's page", () => {
  it('shows an open step of a running case as open, with its due date and a form', () => {
    const html = card(page('ACTIVE'));
    expect(html).toContain('>Open</span>');
    expect(html).toContain('Graag vóór');
    // Past its due date (escalated): said in words too.
    expect(html).toContain('<strong>Te laat</strong>');
    expect(html).toContain('<form');
  });

  it.each(['EXPIRED', 'CANCELLED'] as const)(
    'shows a step left open when its case became %s as closed',
    (status) => {
      const html = card(page(status));
      expect(html).toContain('>Gesloten</span>');
      expect(html).not.toContain('>Open</span>');
      expect(html).not.toContain('Graag vóór');
      expect(html).not.toContain('Te laat');
      expect(html).not.toContain('<form');
    },
  );
});

describe('a step that opens after another', () => {
  /** The citizen's card of `stepId` in the care plan's agreement stage, run again after a "no". */
  function agreementPage(
    locale: 'nl' | 'en',
    accept = agreementStep('accept-plan', 2, 'DONE', { agrees: false }),
    stepId = 'accept-plan',
  ) {
    // The provider's step keeps the plan of the last visit until the new one is written.
    const steps = [agreementStep('propose-plan', 4, 'OPEN', { plan: 'plan A' }), accept];
    const view: CaseView = { case: agreementCase({ citizen: { locale } }), steps, events: [] };
    const dto = caseDto(carePlan, view, 'citizen', vault, 'all', new Date('2026-03-02T00:00:00.000Z'));
    const html = casePage({ dto, service: carePlan, locale, basePath: '/c/t', root: '', csrf: 'x' });
    return html.slice(html.indexOf(`id="step-${stepId}"`)).split('class="cp-step"')[0] ?? '';
  }

  it("says which step it waits for, with last time's answer as such and no form, until it opens", () => {
    const html = agreementPage('nl');
    expect(html).toContain('>Nog niet aan de beurt</span>');
    expect(html).toContain('Dit komt aan de beurt zodra ‘Zorgplan voorstellen’ klaar is.');
    expect(html).not.toContain('<form');
    expect(html).not.toContain('Ingediend op');
    expect(html).toMatch(
      /Antwoord van de vorige keer:<\/p><dl[^>]*>.*Gaat u akkoord met het zorgplan\?.*Nee/,
    );
    expect(agreementPage('en')).toContain('This opens once ‘Propose the care plan’ is done.');
  });

  it("shows the plan of the last visit on the provider's open step, as such, while the new one is written", () => {
    const html = agreementPage('nl', undefined, 'propose-plan');
    expect(html).toContain('>Open</span>');
    expect(html).toMatch(/Antwoord van de vorige keer:<\/p><dl[^>]*>.*plan A/);
  });

  it('shows the form once it opened in this visit', () => {
    const html = agreementPage('nl', agreementStep('accept-plan', 4, 'OPEN'));
    expect(html).toContain('<form');
    expect(html).not.toContain('zodra');
  });
});

describe('numbers on the pages', () => {
  it('are written as the language writes them, without grouping', () => {
    expect([formatNumber(2.5, 'nl'), formatNumber(2.5, 'en')]).toEqual(['2,5', '2.5']);
    expect([formatNumber(2026, 'nl'), formatNumber(-0.125, 'nl')]).toEqual(['2026', '-0,125']);
  });
});
