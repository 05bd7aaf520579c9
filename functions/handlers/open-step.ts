import middy from '@middy/core';
import { findService } from '../../workflows/catalog';
import { notifier } from '../adapters/notifier';
import { reportTally as tally } from '../adapters/report-tally';
import { repository } from '../adapters/repository';
import { taskCompleter } from '../adapters/task-completer';
import { OpenStepError, openStep } from '../domain/open-step';
import { openStepPayload } from '../domain/open-step-payload';
import { taskRetimer } from '../proposals/retimer';
import { log } from '../shared/logger';
import { loadSecrets } from '../shared/secret-loading';
import { linkTtlDays, publicUrl } from '../shared/settings';
import { vault } from '../shared/vault';

// Invoked by Step Functions only (Lambda task with .waitForTaskToken). A payload that does not fit
// is a bug in the state machine: it fails the task with a named error the execution history shows.

const deps = {
  repo: repository,
  engine: taskCompleter,
  retimer: taskRetimer,
  notifier,
  vault,
  publicUrl,
  findService,
  tally,
  linkTtlDays,
};

export const handler = middy<unknown>().handler(async (event) => {
  const parsed = openStepPayload.safeParse(event);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)');
    throw new OpenStepError('BadPayload', `Invalid open-step payload: ${[...new Set(fields)].join(', ')}`);
  }
  const p = parsed.data;
  const outcome = await openStep(deps, p);
  await log('info', 'step notice', {
    caseId: p.caseId,
    stepId: p.stepId,
    notice: p.notice,
    visit: p.visit,
    ...outcome,
  });
  return outcome;
});
// The vault's key is read from Secrets Manager before each invocation (cached).
handler.use(loadSecrets());
