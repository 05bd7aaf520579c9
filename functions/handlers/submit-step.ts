import { reportTally as tally } from '../adapters/report-tally';
import { processingLog, repository } from '../adapters/repository';
import { taskCompleter as engine } from '../adapters/task-completer';
import { request, stepAnswers } from '../contract/submit-step';
import { caseOfProvider, providerOf } from '../domain/access';
import { logChange } from '../domain/case-reads';
import { systemClock } from '../domain/clock';
import { publicStep } from '../domain/record-views';
import { submitStep } from '../domain/submit';
import { mediaType } from '../shared/edge';
import { ValidationError } from '../shared/errors';
import { httpRoute, json } from '../shared/http';
import { traceOf } from '../shared/trace';
import { vault } from '../shared/vault';

// POST /cases/{caseId}/steps/{stepId}: a provider answers one of its steps.
// JSON `{ data }` comes from an API client; a urlencoded form (the console) is the data itself. What
// staff record about the case is personal data: the change is in the case's processing log.

const deps = { repo: repository, engine, clock: systemClock, vault, log: processingLog, tally };

export const handler = httpRoute(request, async ({ path, headers, body, claims }, event) => {
  const provider = providerOf(claims);
  const form = mediaType(headers['content-type']) === 'application/x-www-form-urlencoded';
  const data = form ? body : parseJsonBody(body);
  const record = await caseOfProvider(repository, path.caseId, provider);
  const { step } = await submitStep(deps, {
    record,
    caseId: path.caseId,
    stepId: path.stepId,
    actor: 'provider',
    channel: form ? 'web' : 'api',
    submittedBy: provider.who,
    data,
  });
  await logChange(deps, { provider, trace: traceOf(event.headers) }, 'update', record, ['notes']);
  return json(200, { step: publicStep(step) });
});

function parseJsonBody(body: unknown): unknown {
  const parsed = stepAnswers.safeParse(body);
  if (parsed.success) return parsed.data.data;
  throw new ValidationError('Send the answers as { "data": { field: value } }.', {
    fields: { 'body.data': 'Send an object with the form fields.' },
  });
}
