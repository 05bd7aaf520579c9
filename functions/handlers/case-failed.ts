import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { executions } from '../adapters/executions';
import { repository } from '../adapters/repository';
import { markCaseFailed } from '../domain/case-failure';
import { log } from '../shared/logger';
import { caseIdParam } from './params';

// Target of the EventBridge rule on the service machines' execution status changes (FAILED,
// TIMED_OUT, ABORTED): the case becomes FAILED, for both partners to see. The case id comes from the
// execution's input. An event that cannot concern a case is logged and dropped (a retry would not
// change it); a failing table or DescribeExecution throws, for EventBridge's asynchronous retries.

const statusChange = z.object({
  'detail-type': z.literal('Step Functions Execution Status Change'),
  source: z.literal('aws.states'),
  time: z.optional(z.string()),
  detail: z.object({
    executionArn: z.string().check(z.regex(/^arn:aws[a-z-]*:states:[^:]*:[^:]*:execution:[^:]+:[^:]+$/)),
    name: z.string().check(z.minLength(1), z.maxLength(80)),
    status: z.string(),
    input: z.optional(z.nullable(z.string())),
    error: z.optional(z.nullable(z.string())),
    cause: z.optional(z.nullable(z.string())),
    stopDate: z.optional(z.nullable(z.number())),
    redriveCount: z.optional(z.nullable(z.int().check(z.nonnegative()))),
  }),
});
const executionInput = z.object({ caseId: caseIdParam });
const FAILURES = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);
type Stopped = 'FAILED' | 'TIMED_OUT' | 'ABORTED';

const deps = { repo: repository, executions };

export const handler = middy<unknown, void, Error, Context>().handler(async (event) => {
  const parsed = statusChange.safeParse(event);
  if (!parsed.success) return drop('not an execution status change', fieldsOf(parsed.error));
  const { detail, time } = parsed.data;
  if (!FAILURES.has(detail.status)) return drop(`status ${detail.status} is not a failure`, []);
  const input = executionInput.safeParse(parseJson(detail.input));
  if (!input.success) return drop('the execution input has no case id', fieldsOf(input.error), detail.name);
  const stoppedAt = new Date(detail.stopDate ?? (time ? Date.parse(time) : Date.now())).toISOString();
  const outcome = await markCaseFailed(deps, {
    caseId: input.data.caseId,
    execution: detail.name,
    executionArn: detail.executionArn,
    status: detail.status as Stopped,
    ...(typeof detail.error === 'string' && { error: detail.error }),
    ...(typeof detail.cause === 'string' && { cause: detail.cause }),
    ...(typeof detail.redriveCount === 'number' && { redriveCount: detail.redriveCount }),
    stoppedAt,
  });
  await log('info', 'execution stopped', {
    caseId: input.data.caseId,
    execution: detail.name,
    status: detail.status,
    outcome,
  });
});

function parseJson(text: string | null | undefined): unknown {
  try {
    return typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function drop(reason: string, fields: string[], execution?: string): Promise<void> {
  return log('warn', 'execution status change dropped', { reason, fields, ...(execution && { execution }) });
}

function fieldsOf(error: z.core.$ZodError): string[] {
  return [...new Set(error.issues.map((issue) => issue.path.join('.') || '(root)'))];
}
