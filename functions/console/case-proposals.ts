import type { Service } from '../../workflows/schema';
import { answerBody, answerFromForm, parseBody, proposalBody } from '../contract/proposals';
import { caseOfProvider } from '../domain/access';
import type { CaseDto } from '../domain/case-dto';
import type { Locale } from '../domain/model';
import { esc } from '../pages/html';
import { formatDate } from '../pages/i18n';
import { answerProposal } from '../proposals/answer';
import { propose } from '../proposals/propose';
import type { ProposalView } from '../proposals/view';
import { ConflictError } from '../shared/errors';
import { redirect } from './auth';
import type { Ctx } from './context';
import { basePath } from './deps';
import { providerOfSession } from './session';

// "Andere datum": on the console's case page, the proposed due dates of both partners, a form to
// answer the citizen's open proposal, and per open step that takes proposals a form to propose another
// day (the citizen is texted). The domain checks everything again when a form is sent.

const WORDS = {
  nl: {
    title: 'Andere datum',
    byCitizen: 'De burger vroeg om {date} voor ‘{step}’',
    byOrg: 'U stelde {date} voor ‘{step}’ voor',
    status: {
      OPEN: 'wacht op antwoord',
      ACCEPTED: 'akkoord',
      DECLINED: 'niet akkoord',
      EXPIRED: 'vervallen',
    },
    reason: 'reden',
    note: 'toelichting',
    answer: 'Akkoord met {date} voor ‘{step}’?',
    notePrompt: 'Toelichting voor de burger (niet verplicht)',
    accept: 'Akkoord',
    decline: 'Niet akkoord',
    propose: 'Andere datum voorstellen voor ‘{step}’',
    day: 'Nieuwe uiterste datum',
    why: 'Reden (de burger ziet die)',
    send: 'Voorstellen',
  },
  en: {
    title: 'Another date',
    byCitizen: 'The citizen asked for {date} for ‘{step}’',
    byOrg: 'You proposed {date} for ‘{step}’',
    status: { OPEN: 'awaiting an answer', ACCEPTED: 'agreed', DECLINED: 'not agreed', EXPIRED: 'lapsed' },
    reason: 'reason',
    note: 'note',
    answer: 'Agree to {date} for ‘{step}’?',
    notePrompt: 'Note for the citizen (optional)',
    accept: 'Agree',
    decline: 'Do not agree',
    propose: 'Propose another date for ‘{step}’',
    day: 'New due date',
    why: 'Reason (the citizen sees it)',
    send: 'Propose',
  },
} as const;

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');

export function proposalsPart(
  dto: CaseDto,
  service: Service,
  input: { locale: Locale; base: string; csrf: string },
): string {
  const w = WORDS[input.locale];
  const steps = service.stages.flatMap((s) => s.steps);
  const title = (id: string) => steps.find((s) => s.id === id)?.title[input.locale] ?? id;
  const proposals = dto.proposals ?? [];
  const active = dto.status === 'ACTIVE' && !dto.erased;
  const open = (stepId: string) => proposals.some((p) => p.stepId === stepId && p.status === 'OPEN');
  const askable = active
    ? dto.steps.filter(
        (s) => s.status === 'OPEN' && steps.find((d) => d.id === s.stepId)?.proposals && !open(s.stepId),
      )
    : [];
  if (proposals.length === 0 && askable.length === 0) return '';
  const csrf = `<input type="hidden" name="_csrf" value="${esc(input.csrf)}">`;
  const lines = proposals.map((p) => `<li>${esc(line(p, w, title(p.stepId), input.locale))}</li>`);
  const answers = active
    ? proposals
        .filter((p) => p.status === 'OPEN' && p.by === 'citizen')
        .map((p) => {
          const id = `note-${p.proposalId}`;
          const legend = fill(w.answer, { date: formatDate(p.dueAt, input.locale), step: title(p.stepId) });
          return `<form method="post" action="${esc(input.base)}/cases/${esc(dto.caseId)}/proposals/${esc(p.proposalId)}"><fieldset><legend>${esc(legend)}</legend>${csrf}<div class="field"><label for="${esc(id)}">${w.notePrompt}</label><input type="text" id="${esc(id)}" name="note" maxlength="300"></div><button type="submit" name="accept" value="true" class="utrecht-button utrecht-button--primary-action">${w.accept}</button> <button type="submit" name="accept" value="false" class="utrecht-button utrecht-button--secondary-action">${w.decline}</button></fieldset></form>`;
        })
    : [];
  const asks = askable.map((s) => {
    const legend = fill(w.propose, { step: title(s.stepId) });
    return `<form method="post" action="${esc(input.base)}/cases/${esc(dto.caseId)}/steps/${esc(s.stepId)}/proposals"><fieldset><legend>${esc(legend)}</legend>${csrf}<div class="field"><label for="day-${s.stepId}">${w.day}</label><input type="date" id="day-${s.stepId}" name="dueAt" required></div><div class="field"><label for="why-${s.stepId}">${w.why}</label><input type="text" id="why-${s.stepId}" name="reason" required maxlength="300"></div><button type="submit" class="utrecht-button utrecht-button--secondary-action">${w.send}</button></fieldset></form>`;
  });
  const list = lines.length ? `<ul>${lines.join('')}</ul>` : '';
  return `<section aria-labelledby="proposals"><h2 id="proposals">${w.title}</h2>${list}${answers.join('')}${asks.join('')}</section>`;
}

function line(p: ProposalView, w: (typeof WORDS)[Locale], step: string, locale: Locale): string {
  const asked = fill(p.by === 'citizen' ? w.byCitizen : w.byOrg, { date: formatDate(p.dueAt, locale), step });
  const extra = [p.reason && `${w.reason}: ${p.reason}`, p.note && `${w.note}: ${p.note}`].filter(Boolean);
  return `${asked} (${w.status[p.status]})${extra.length ? `; ${extra.join('; ')}` : ''}`;
}

/** POST /console/cases/:id/steps/:step/proposals: staff propose another day; the citizen is texted. */
export async function proposeDate(ctx: Ctx, caseId: string, stepId: string) {
  const deps = proposalDeps(ctx);
  const { _csrf, ...values } = ctx.req.body as Record<string, string>;
  const body = parseBody(proposalBody, values);
  const record = await caseOfProvider(ctx.deps.repo, caseId, providerOfSession(ctx.session));
  await propose(deps, { record, stepId, by: 'provider', ...body });
  return redirect(`${basePath(ctx.deps)}/cases/${caseId}#proposals`, [], 303);
}

/** POST /console/cases/:id/proposals/:proposal: staff answer the citizen's proposal. */
export async function answerDate(ctx: Ctx, caseId: string, proposalId: string) {
  const deps = proposalDeps(ctx);
  const answer = parseBody(answerBody, answerFromForm(ctx.req.body as Record<string, string>));
  const record = await caseOfProvider(ctx.deps.repo, caseId, providerOfSession(ctx.session));
  await answerProposal(deps, {
    record,
    proposalId,
    by: 'provider',
    accept: answer.accept,
    ...(answer.note !== undefined && { note: answer.note }),
    channel: 'web',
  });
  return redirect(`${basePath(ctx.deps)}/cases/${caseId}#proposals`, [], 303);
}

function proposalDeps(ctx: Ctx) {
  const { repo, clock, vault, notifier, publicUrl, proposals } = ctx.deps;
  if (!proposals) throw new ConflictError('PROPOSALS_NOT_OFFERED', 'This console cannot handle proposals.');
  return {
    repo,
    clock,
    vault,
    proposals: proposals.store,
    retimer: proposals.retimer,
    sms: { repo, notifier, vault, publicUrl },
  };
}
