import { sfnClient } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { SfnEngine } from './sfn-engine';

// STATE_MACHINE_ARNS maps each service id to its state machine; checked at load so a bad deploy fails at init.
// Checked by hand, not with zod: this runs in every cold start of eight functions, and zod's first
// parse sets up more than this check needs (about 1.9 M instructions, bench:coldstart:instructions).

const MACHINE_ARN = /^arn:aws[a-z-]*:states:[^:]*:[^:]*:stateMachine:[^:]+$/;

export function parseStateMachineArns(raw: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error('Environment variable STATE_MACHINE_ARNS is not valid JSON');
  }
  const invalid = (where: string) =>
    new Error(
      `Environment variable STATE_MACHINE_ARNS must map service ids to state machine ARNs (${where})`,
    );
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('(root)');
  const entries = Object.entries(value);
  const wrong = entries.filter(([, arn]) => typeof arn !== 'string' || !MACHINE_ARN.test(arn));
  if (wrong.length > 0) throw invalid(wrong.map(([serviceId]) => serviceId).join(', '));
  // fromEntries defines own properties: a service id '__proto__' stays a key, never a prototype.
  return Object.fromEntries(entries) as Record<string, string>;
}

export const engine = new SfnEngine(parseStateMachineArns(requireEnv('STATE_MACHINE_ARNS')), sfnClient);
