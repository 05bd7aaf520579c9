import { notifier } from '../adapters/notifier';
import { repository } from '../adapters/repository';
import { answerBody, parseBody, proposalBody, request } from '../contract/proposals';
import { caseOfProvider, providerOf } from '../domain/access';
import { systemClock } from '../domain/clock';
import { proposalStore } from '../proposals/adapters';
import { answerProposal } from '../proposals/answer';
import { propose } from '../proposals/propose';
import { taskRetimer } from '../proposals/retimer';
import { httpRoute, json } from '../shared/http';
import { publicUrl } from '../shared/settings';
import { vault } from '../shared/vault';

// POST /cases/{caseId}/steps/{stepId}/proposals and POST /cases/{caseId}/proposals/{proposalId}: staff
// propose a new due date for a step of their organisation's case (the citizen is texted), or answer
// the citizen's proposal (an accepted one re-times the step's wait).

const deps = {
  repo: repository,
  proposals: proposalStore,
  retimer: taskRetimer,
  clock: systemClock,
  vault,
  sms: { repo: repository, notifier, vault, publicUrl },
};

export const handler = httpRoute(request, async ({ path, body, claims }) => {
  const provider = providerOf(claims);
  const record = await caseOfProvider(repository, path.caseId, provider);
  if (path.proposalId) {
    const answer = parseBody(answerBody, body);
    const outcome = await answerProposal(deps, {
      record,
      proposalId: path.proposalId,
      by: 'provider',
      accept: answer.accept,
      ...(answer.note !== undefined && { note: answer.note }),
      channel: 'api',
    });
    return json(200, outcome);
  }
  const proposal = parseBody(proposalBody, body);
  const made = await propose(deps, { record, stepId: path.stepId ?? '', by: 'provider', ...proposal });
  return json(201, made);
});
