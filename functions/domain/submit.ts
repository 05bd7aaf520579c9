import { routingData } from '../../workflows/routing';
import type { ReportTally } from '../reports/ports';
import { tallySubmission } from '../reports/tally';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TokenRejectedError,
  ValidationError,
} from '../shared/errors';
import { CaseErasedError, caseCipher } from './case-keys';
import { findStep, type LocatedStep, requireService } from './definitions';
import { validateForm } from './forms';
import type { Actor, CaseRecord, Channel, FormData, StepRecord, StoredSubmission, Submission } from './model';
import { orgDisplayName } from './org-name';
import type { PiiVault } from './pii';
import type { CaseRepository, Clock, TaskCompleter } from './ports';
import { refusedStatus } from './status-view';
import { nextWaitTakesOver } from './wait-handover';

// Submitting a step, for every channel (web form, console, API, SMS). The conditional OPEN -> DONE
// write is what makes a submission count exactly once; SendTaskSuccess follows, and a token the
// engine refuses undoes the write so the citizen can simply try again (unless another wait of the step
// follows and takes the answer: wait-handover.ts). The answers are stored sealed
// with the case's key; the engine gets only the values its routing reads (workflows/routing.ts).

export interface SubmitDeps {
  repo: CaseRepository;
  engine: TaskCompleter;
  clock: Clock;
  vault: PiiVault;
  /** The service report's running aggregates: a submission may end a stage visit (reports/tally.ts). */
  tally?: ReportTally;
}

export interface SubmitRequest {
  caseId: string;
  stepId: string;
  actor: Actor;
  channel: Channel;
  submittedBy?: string;
  /** A delegate of the citizen answers (delegation/): recorded on the step and in the event. */
  delegateId?: string;
  data: unknown;
  /** The case as the caller already read it (e.g. for an organisation check): saves a second read. */
  record?: CaseRecord;
  /**
   * A page's form says when the step had opened as it was served (StepRecord.openedAt): a form loaded
   * before the step's stage ran again is refused (STEP_REOPENED), not saved into the new round.
   */
  openedAt?: string;
}

const wrongActor = (stepId: string, actor: Actor, expected: Actor) =>
  new ForbiddenError(
    `Step '${stepId}' is for the ${expected}, not the ${actor}.`,
    { stepId, actor: expected },
    'WRONG_ACTOR',
  );

/** Not the citizen's doing: the organisation's side failed, and it has been told (an alarm, the console). */
const caseFailed = (record: CaseRecord) => {
  const org = orgDisplayName(record.org);
  return new ConflictError(
    'CASE_FAILED',
    `Something went wrong on the side of ${org} with this case; ${org} has been told. Nothing was saved; please try again later.`,
    { status: 'FAILED', org },
  );
};

/** The step is open, but opened again since the form was served: its answer was for the earlier round. */
const reopenedSince = (stepId: string, openedAt: string) =>
  new ConflictError(
    'STEP_REOPENED',
    `Step '${stepId}' opened again (at ${openedAt}) after this form was loaded; nothing was saved. Read what the step asks now and answer again.`,
    { stepId, status: 'OPEN', openedAt },
  );

const notOpen = (stepId: string, status: string) =>
  new ConflictError('STEP_NOT_OPEN', `Step '${stepId}' is not open for answers (it is ${status}).`, {
    stepId,
    status,
  });

export async function submitStep(
  deps: SubmitDeps,
  req: SubmitRequest,
): Promise<{ step: StepRecord; submission: Submission }> {
  const { repo, engine, clock } = deps;
  const record = req.record ?? (await repo.getCase(req.caseId));
  if (!record) throw new NotFoundError('There is no such case.', { caseId: req.caseId });
  if (record.erased) throw new CaseErasedError();
  if (record.status === 'FAILED') throw caseFailed(record);
  if (record.status !== 'ACTIVE') {
    throw new ConflictError(
      'CASE_CLOSED',
      `The case is ${record.status.toLowerCase()}; it takes no more answers.`,
      { status: record.status },
    );
  }
  const service = requireService(record.serviceId);
  const located = findStep(service, req.stepId);
  if (!located) throw new NotFoundError(`This case has no step '${req.stepId}'.`, { stepId: req.stepId });
  if (located.step.actor !== req.actor) throw wrongActor(req.stepId, req.actor, located.step.actor);

  const data = await validated(repo, req, located);
  const submittedAt = clock.now().toISOString();
  const submission: Submission = {
    stepId: req.stepId,
    actor: req.actor,
    channel: req.channel,
    submittedAt,
    data: routingData(located.step, data),
  };

  // The step keeps the answers sealed and who submitted; the engine gets the Submission only.
  const cipher = caseCipher(deps.vault, record);
  const stored: StoredSubmission = {
    stepId: req.stepId,
    actor: req.actor,
    channel: req.channel,
    submittedAt,
    dataEnc: cipher.sealJson(data),
    ...(req.submittedBy && { submittedBy: req.submittedBy }),
    ...(req.delegateId && { delegateId: req.delegateId }),
    ...(req.openedAt && { openedAt: req.openedAt }),
  };
  // An answer counts once it stands: logged as submitted, and tallied for the service report. Both are
  // keyed by the step's visit, so doing it again (a retry that finds the step DONE) adds nothing twice.
  const countAnswer = async (answer: Answer, answers: FormData) => {
    await logSubmitted(repo, answer);
    if (!deps.tally) return;
    const { stage } = located;
    const { stepId, actor, visit, submittedAt: at } = answer;
    const counted = { stage, stepId, actor, visit, data: answers, submittedAt: at };
    await tallySubmission({ repo, tally: deps.tally }, { record, service, ...counted });
  };
  // No read first: the write itself finds out whether the step is open, and which wait it answers.
  const step =
    (await repo.completeStep(req.caseId, stored)) ??
    (await notCompleted(repo, req, located, stored, async (done) =>
      countAnswer(done, done.data ?? cipher.openJson<FormData>(done.dataEnc) ?? {}),
    ));
  const token = step.taskToken as string;
  const recordSubmitted = () => countAnswer({ ...stored, caseId: req.caseId, visit: step.visit }, data);
  try {
    await engine.completeTask(token, submission);
  } catch (error) {
    if (!(error instanceof TokenRejectedError)) {
      // Any other failure leaves the step DONE: open-step completes the next token with the stored
      // data ('already-done'), so nothing is lost and nothing is submitted twice. The answer stands, so
      // it is logged as one before the error goes back; should that write fail too, the error to report
      // is still the engine's.
      await recordSubmitted().catch(() => undefined);
      throw error;
    }
    // The wait is over. When another wait of the step follows, it takes the answer over, so it stands
    // (wait-handover.ts). Otherwise the answer is undone, unless (false) open-step already re-armed and
    // completed the step with this data, so it counts.
    const handedOver = await nextWaitTakesOver(repo, step, clock.now());
    if (!handedOver && (await repo.revertStep(req.caseId, req.stepId, token))) {
      throw new ConflictError(
        'TOKEN_EXPIRED',
        'The step stopped waiting for this answer just now. Nothing was saved; please try again.',
        { stepId: req.stepId },
      );
    }
  }
  await recordSubmitted();
  const { taskToken: _secret, dataEnc: _sealed, ...rest } = step;
  return {
    step: {
      ...rest,
      status: 'DONE',
      data,
      submittedAt,
      channel: req.channel,
      ...(req.submittedBy && { submittedBy: req.submittedBy }),
      ...(req.delegateId && { delegateId: req.delegateId }),
    },
    submission,
  };
}

/**
 * The answers, checked against the form. Answers to a step that is not open are refused as such (409),
 * whatever they hold: the step is read only when the answers fail, to say which it is.
 */
async function validated(repo: CaseRepository, req: SubmitRequest, located: LocatedStep): Promise<FormData> {
  try {
    return validateForm(located.step.form.fields, req.data);
  } catch (error) {
    if (error instanceof ValidationError) {
      const step = await repo.getStep(req.caseId, req.stepId);
      if (step?.status !== 'OPEN')
        throw notOpen(req.stepId, await refusedStatus(repo, req.caseId, located.stage, step));
    }
    throw error;
  }
}

/** Who answered which step's visit, and when: what the answer's event and tally are written from. */
type Answer = Pick<StepRecord, 'caseId' | 'stepId' | 'actor' | 'visit' | 'submittedBy' | 'delegateId'> & {
  submittedAt: string;
  channel?: Channel;
};

/**
 * The completion did not hold: the step is not open, and the error says what it is. A step open again
 * by the time it is read (a refused answer reverted it meanwhile) gets one more try.
 */
async function notCompleted(
  repo: CaseRepository,
  req: SubmitRequest,
  located: LocatedStep,
  stored: StoredSubmission,
  countAgain: (done: StepRecord & Answer) => Promise<void>,
) {
  const step = await repo.getStep(req.caseId, req.stepId);
  if (step?.status === 'OPEN' && stored.openedAt !== undefined && step.openedAt !== stored.openedAt)
    throw reopenedSince(req.stepId, step.openedAt);
  const again = step?.status === 'OPEN' ? await repo.completeStep(req.caseId, stored) : undefined;
  if (again) return again;
  // The answer that made it DONE counts; its event, and so its tally, may have failed after the engine
  // took it (the submitter then sees an error and tries again, landing here). Both are done again, each
  // under its own key or marker, so an answer already counted is not counted twice.
  if (step?.status === 'DONE' && step.submittedAt)
    await countAgain({ ...step, submittedAt: step.submittedAt }).catch(() => undefined);
  // Read OPEN, yet the second write did not hold either: another answer completed it in between.
  const status =
    step?.status === 'OPEN' ? 'DONE' : await refusedStatus(repo, req.caseId, located.stage, step);
  throw notOpen(req.stepId, status);
}

/**
 * STEP_SUBMITTED of one answer, keyed by step and visit: whichever path writes it (the submission, or a
 * later attempt that finds the step DONE), it is one item.
 */
function logSubmitted(repo: CaseRepository, answer: Answer): Promise<void> {
  return repo.appendEvent(
    {
      caseId: answer.caseId,
      at: answer.submittedAt,
      type: 'STEP_SUBMITTED',
      actor: answer.actor,
      stepId: answer.stepId,
      channel: answer.channel ?? 'web',
      detail: {
        visit: answer.visit,
        ...(answer.submittedBy && { by: answer.submittedBy }),
        ...(answer.delegateId && { delegateId: answer.delegateId }),
      },
    },
    `submitted-${answer.stepId}-${answer.visit}`,
  );
}
