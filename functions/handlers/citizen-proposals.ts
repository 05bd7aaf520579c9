import { repository } from '../adapters/repository';
import { answerBody, answerFromForm, citizenRequest, parseBody, proposalBody } from '../contract/proposals';
import { caseIdForLinkToken } from '../domain/access';
import { systemClock } from '../domain/clock';
import { pickLocale } from '../pages/i18n';
import { proposalStore } from '../proposals/adapters';
import { answerProposal } from '../proposals/answer';
import { propose } from '../proposals/propose';
import { taskRetimer } from '../proposals/retimer';
import { NotFoundError } from '../shared/errors';
import { html, httpRoute, json } from '../shared/http';
import { publicUrl } from '../shared/settings';
import { vault } from '../shared/vault';
import { citizenErrors, formValues, isJsonType } from '../web/forms';

// POST /c/{linkToken}/steps/{stepId}/proposals and POST /c/{linkToken}/proposals/{proposalId}: the
// citizen proposes a new due date for a step of their case, or answers the provider's proposal, by
// JSON or by their page's form (with its `_csrf` value; the answer goes back to the page).

const deps = {
  repo: repository,
  proposals: proposalStore,
  retimer: taskRetimer,
  clock: systemClock,
  vault,
};

export const handler = httpRoute(
  citizenRequest,
  async ({ path, query, headers, body }, event) => {
    const token = path.linkToken;
    const caseId = await caseIdForLinkToken(repository, systemClock, token);
    const record = await repository.getCase(caseId);
    if (!record) throw new NotFoundError('There is no case for this link.');
    const asJson = isJsonType(headers['content-type']);
    const values = asJson ? undefined : formValues(vault, body, token);
    let result: unknown;
    if (path.proposalId) {
      const answer = parseBody(answerBody, values ? answerFromForm(values) : body);
      result = await answerProposal(deps, {
        record,
        proposalId: path.proposalId,
        by: 'citizen',
        accept: answer.accept,
        ...(answer.note !== undefined && { note: answer.note }),
        channel: 'web',
      });
    } else {
      const proposal = parseBody(proposalBody, values ?? body);
      result = await propose(deps, { record, stepId: path.stepId ?? '', by: 'citizen', ...proposal });
    }
    if (asJson) return json(path.proposalId ? 200 : 201, result);
    const locale = pickLocale(query.lang, event.headers['accept-language'], record.citizen.locale);
    return html(303, '', { location: `${publicUrl}/c/${token}?lang=${locale}#proposals` });
  },
  citizenErrors(publicUrl),
);
