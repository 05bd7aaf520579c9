import {
  InvalidToken,
  SendTaskFailureCommand,
  type SFNClient,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { RETIMED_ERROR, type TaskRetimer } from './ports';

// SendTaskFailure with Step.Retimed: the step branch catches it and re-arms the wait (retime-step).
// A token that no longer waits is no failure here: the step was answered, or its wait ended and the
// next one reads the moved schedule itself.

export class SfnTaskRetimer implements TaskRetimer {
  constructor(private readonly client: () => SFNClient) {}

  async retimeTask(taskToken: string): Promise<'sent' | 'gone'> {
    try {
      await this.client().send(
        new SendTaskFailureCommand({
          taskToken,
          error: RETIMED_ERROR,
          cause: 'The due date moved; the wait is re-armed on the new schedule.',
        }),
      );
      return 'sent';
    } catch (error) {
      if (error instanceof TaskTimedOut || error instanceof InvalidToken || error instanceof TaskDoesNotExist)
        return 'gone';
      throw error;
    }
  }
}
