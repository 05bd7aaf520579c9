import { sfnClient } from '../shared/clients';
import { requireEnv } from '../shared/env';
import type { RoundEngine } from './ports';
import { SfnRoundEngine } from './sfn-round-engine';

// The round state machine start-round uses; a function deployed without its ARN fails at init.
const stateMachineArn = requireEnv('ROUND_STATE_MACHINE_ARN');

export const roundEngine: RoundEngine = new SfnRoundEngine(stateMachineArn, sfnClient);
export { SfnRoundEngine } from './sfn-round-engine';
