import middy from '@middy/core';
import * as z from 'zod/mini';
import { findService } from '../../workflows/catalog';
import { notifier } from '../adapters/notifier';
import { repository } from '../adapters/repository';
import { taskCompleter } from '../adapters/task-completer';
import { OpenStepError, openStep } from '../domain/open-step';
import { logger } from '../shared/logger';
import { loadSecrets } from '../shared/secret-loading';
import { publicUrl } from '../shared/settings';
import { vault } from '../shared/vault';

// Invoked by Step Functions only (Lambda task with .waitForTaskToken). A payload that does not fit
// is a bug in the state machine: it fails the task with a named error the execution history shows.

const id = z.string().check(z.minLength(1), z.maxLength(200));
const payload = z.object({
  caseId: id,
  serviceId: id,
  stageId: id,
  stepId: id,
  notice: z.enum(['invite', 'reminder', 'escalation']),
  // States.Format makes the stage counter a string; a number is accepted too.
  visit: z.union([z.string().check(z.regex(/^[1-9]\d{0,8}$/)), z.int().check(z.positive())]),
  taskToken: z.string().check(z.minLength(1), z.maxLength(8192)),
  enteredAt: z.iso.datetime({ offset: true }),
});

const deps = { repo: repository, engine: taskCompleter, notifier, vault, publicUrl, findService };

export const handler = middy<unknown>().handler(async (event) => {
  const parsed = payload.safeParse(event);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)');
    throw new OpenStepError('BadPayload', `Invalid open-step payload: ${[...new Set(fields)].join(', ')}`);
  }
  const p = parsed.data;
  const outcome = await openStep(deps, { ...p, visit: Number(p.visit) });
  logger().info('step notice', {
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
