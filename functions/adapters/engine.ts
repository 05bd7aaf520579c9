import * as z from 'zod/mini';
import { sfnClient } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { SfnEngine } from './sfn-engine';

// STATE_MACHINE_ARNS maps each service id to its state machine; checked at load so a bad deploy fails at init.

const arns = z.record(
  z.string(),
  z.string().check(z.regex(/^arn:aws[a-z-]*:states:[^:]*:[^:]*:stateMachine:[^:]+$/)),
);

export function parseStateMachineArns(raw: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error('Environment variable STATE_MACHINE_ARNS is not valid JSON');
  }
  const result = arns.safeParse(value);
  if (!result.success) {
    const where = result.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new Error(
      `Environment variable STATE_MACHINE_ARNS must map service ids to state machine ARNs (${where})`,
    );
  }
  return result.data;
}

export const engine = new SfnEngine(parseStateMachineArns(requireEnv('STATE_MACHINE_ARNS')), sfnClient);
