import middy from '@middy/core';
import { findService } from '../../workflows/catalog';
import { repository } from '../adapters/repository';
import { findStep } from '../domain/definitions';
import { retimePayload } from '../proposals/retime-payload';
import { nextSegment } from '../proposals/schedule';
import { log } from '../shared/logger';

// Invoked by Step Functions only, when a step's wait ended with Step.Retimed (an accepted proposal moved
// its schedule) or a re-armed wait timed out: says how the wait goes on (functions/proposals/schedule.ts).
// Nothing personal in or out: ids, times and the notice.

class RetimeError extends Error {
  constructor(reason: 'BadPayload' | 'UnknownStep', message: string) {
    super(message);
    this.name = `RetimeStep.${reason}`;
  }
}

export const handler = middy<unknown>().handler(async (event) => {
  const parsed = retimePayload.safeParse(event);
  if (!parsed.success) throw new RetimeError('BadPayload', 'Invalid retime-step payload');
  const p = parsed.data;
  const service = findService(p.serviceId);
  const located = service && findStep(service, p.stepId);
  if (!located) throw new RetimeError('UnknownStep', `${p.serviceId} has no step ${p.stepId}`);
  const step = await repository.getStep(p.caseId, p.stepId);
  const next = nextSegment(located.step, step, p.visit, p.now);
  await log('info', 'step retimed', { caseId: p.caseId, stepId: p.stepId, visit: p.visit, ...next });
  return next;
});
