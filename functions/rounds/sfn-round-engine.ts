import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { RoundEngine } from './ports';

// The round state machine on Step Functions. The execution name `<roundId>-<attempt>` makes a start
// idempotent: a retried start-round finds the execution of that attempt instead of starting a second.

export class SfnRoundEngine implements RoundEngine {
  constructor(
    private readonly stateMachineArn: string,
    private readonly client: () => SFNClient,
  ) {}

  async startRound(roundId: string, attempt: number, input: Record<string, unknown>): Promise<void> {
    try {
      await this.client().send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: `${roundId}-${attempt}`,
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }
}
