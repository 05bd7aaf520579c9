import { describe, expect, it } from 'vitest';
import { proposalsPart } from '../../../functions/console/case-proposals';
import type { CaseDto } from '../../../functions/domain/case-dto';
import { proposalsSection } from '../../../functions/pages/proposals';
import { findService } from '../../../workflows/catalog';

// The proposal parts of the citizen page and the console's case page, rendered from a case view: the
// history in words for both, the other side's open proposal with a form to answer it, a form to ask
// for another day per open step that takes proposals, and nothing for a case that has ended.

const service = findService('waste-collection');
if (!service) throw new Error('waste-collection is missing');

const dto = (over: Partial<CaseDto> = {}): CaseDto =>
  ({
    caseId: 'c1',
    serviceId: 'waste-collection',
    service: { title: service.title, summary: service.summary },
    org: 'gemeente-utrecht',
    status: 'ACTIVE',
    createdAt: '2026-03-01T08:00:00.000Z',
    updatedAt: '2026-03-01T08:00:00.000Z',
    stages: [],
    steps: [
      {
        stepId: 'present',
        stage: 'round',
        actor: 'citizen',
        title: { nl: 'Afval aangeboden?', en: 'x' },
        status: 'OPEN',
        dueAt: '2026-03-04T06:00:00.000Z',
      },
      {
        stepId: 'collect',
        stage: 'round',
        actor: 'provider',
        title: { nl: 'Afval ophalen', en: 'y' },
        status: 'OPEN',
        dueAt: '2026-03-04T06:00:00.000Z',
      },
      {
        stepId: 'household-feedback',
        stage: 'feedback',
        actor: 'citizen',
        title: { nl: 'z', en: 'z' },
        status: 'PENDING',
      },
    ],
    events: [],
    processingLog: [],
    proposals: [
      {
        proposalId: 'present-0123456789',
        stepId: 'present',
        visit: 1,
        by: 'citizen',
        dueAt: '2026-03-06',
        fromDueAt: '2026-03-04T06:00:00.000Z',
        status: 'DECLINED',
        at: '2026-03-02T09:00:00.000Z',
        reason: 'Op vakantie',
        note: 'Helaas',
      },
      {
        proposalId: 'collect-0123456789',
        stepId: 'collect',
        visit: 1,
        by: 'provider',
        dueAt: '2026-03-05',
        fromDueAt: '2026-03-04T06:00:00.000Z',
        status: 'OPEN',
        at: '2026-03-02T10:00:00.000Z',
        reason: 'Route verlegd',
      },
    ],
    ...over,
  }) as CaseDto;

describe('the citizen page’s proposals', () => {
  it('tells the history, answers the organisation’s open proposal, and asks for a day where none waits', () => {
    const html = proposalsSection({ dto: dto(), service, locale: 'nl', basePath: '/c/tok', csrf: 'csrf1' });
    expect(html).toContain(
      'U vroeg om 6 maart 2026 voor ‘Afval aangeboden?’; Gemeente Utrecht ging niet akkoord. Reden: Op vakantie. Toelichting: Helaas.',
    );
    expect(html).toContain(
      'Gemeente Utrecht stelt 5 maart 2026 voor ‘Afval ophalen’ voor; wacht op antwoord.',
    );
    expect(html).toContain('action="/c/tok/proposals/collect-0123456789?lang=nl"');
    expect(html).toContain('name="accept" value="true"');
    // present has no open proposal: a form asks for another day; collect has one waiting: no form.
    expect(html).toContain('action="/c/tok/steps/present/proposals?lang=nl"');
    expect(html).not.toContain('/steps/collect/proposals');
    expect(html).not.toContain('household-feedback');
    expect(html.match(/name="_csrf" value="csrf1"/g)).toHaveLength(2);
  });

  it('shows only the history once the case has ended, and nothing without proposals', () => {
    const ended = proposalsSection({
      dto: dto({ status: 'COMPLETED' }),
      service,
      locale: 'en',
      basePath: '/c/tok',
      csrf: 'c',
    });
    expect(ended).toContain('You asked for 6 March 2026');
    expect(ended).not.toContain('<form');
    expect(
      proposalsSection({
        dto: dto({ status: 'COMPLETED', proposals: [] }),
        service,
        locale: 'en',
        basePath: '/c/tok',
        csrf: 'c',
      }),
    ).toBe('');
  });
});

describe('the console’s proposals', () => {
  it('answers the citizen’s open proposal and proposes for open steps without one', () => {
    const open = dto({
      proposals: [
        {
          proposalId: 'present-0123456789',
          stepId: 'present',
          visit: 1,
          by: 'citizen',
          dueAt: '2026-03-06',
          fromDueAt: '2026-03-04T06:00:00.000Z',
          status: 'OPEN',
          at: '2026-03-02T09:00:00.000Z',
          reason: 'Op vakantie',
        },
      ],
    });
    const html = proposalsPart(open, service, { locale: 'nl', base: '/console', csrf: 'k' });
    expect(html).toContain(
      'De burger vroeg om 6 maart 2026 voor ‘Afval aangeboden?’ (wacht op antwoord); reden: Op vakantie',
    );
    expect(html).toContain('action="/console/cases/c1/proposals/present-0123456789"');
    expect(html).toContain('action="/console/cases/c1/steps/collect/proposals"');
    expect(html).not.toContain('/steps/present/proposals');
  });
});
