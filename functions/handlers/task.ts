import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { loadSecrets } from '../shared/secret-loading';

// The one middy stack for Step Functions tasks (not HTTP): the secrets its modules hold are loaded,
// and the payload is checked with zod at the edge. A payload that does not fit is a bug in the state
// machine, so it fails the task with an error whose name the execution history shows (and no retry
// rule matches).

export class TaskPayloadError extends Error {
  constructor(task: string, fields: string[]) {
    super(`Invalid ${task} payload: ${fields.join(', ')}`);
    this.name = 'Task.BadPayload';
  }
}

export function taskHandler<S extends z.ZodMiniType, R>(
  task: string,
  schema: S,
  handle: (input: z.output<S>) => Promise<R>,
) {
  return middy<unknown, R, Error, Context>()
    .use(loadSecrets())
    .handler(async (event) => {
      const parsed = schema.safeParse(event);
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)');
        throw new TaskPayloadError(task, [...new Set(fields)]);
      }
      return handle(parsed.data);
    });
}
