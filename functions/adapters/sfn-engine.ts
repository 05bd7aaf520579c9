import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionLimitExceeded,
  ExecutionNotRedrivable,
  InvalidToken,
  RedriveExecutionCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { Submission } from '../domain/model';
import type { CaseResumer, ExecutionDescriber, TaskCompleter, WorkflowEngine } from '../domain/ports';
import { ConflictError, TokenRejectedError } from '../shared/errors';

// The WorkflowEngine on Step Functions. The first execution's name is the case id, so starting a case
// twice (an idempotent replay of POST /cases) finds the same execution instead of a second one; a
// case that outlives an execution continues in `<caseId>-<n>` (executionName in the model).

/** arn:...:stateMachine:<name> -> arn:...:execution:<name>:<executionName>, without a round trip. */
export function executionArn(stateMachineArn: string, executionName: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
}

function sameJson(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const canonical = (text: string) => JSON.stringify(sortKeys(JSON.parse(text)));
  return canonical(a) === canonical(b);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

export class SfnTaskCompleter implements TaskCompleter {
  constructor(protected readonly client: () => SFNClient) {}

  async completeTask(taskToken: string, output: Submission): Promise<void> {
    try {
      await this.client().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    } catch (error) {
      if (
        error instanceof TaskTimedOut ||
        error instanceof InvalidToken ||
        error instanceof TaskDoesNotExist
      ) {
        throw new TokenRejectedError(error.name);
      }
      throw error;
    }
  }
}

export class SfnEngine extends SfnTaskCompleter implements WorkflowEngine, CaseResumer {
  constructor(
    private readonly stateMachines: Readonly<Record<string, string>>,
    client: () => SFNClient,
  ) {
    super(client);
  }

  private machine(serviceId: string): string {
    const arn = this.stateMachines[serviceId];
    if (!arn) throw new Error(`No state machine configured for service ${serviceId} (STATE_MACHINE_ARNS)`);
    return arn;
  }

  startCase(serviceId: string, caseId: string, input: Record<string, unknown>): Promise<string> {
    return this.start(serviceId, caseId, input);
  }

  /** A reopened case's new execution (`<caseId>-<n>`), started at its stage. */
  async resumeCase(serviceId: string, executionName: string, input: Record<string, unknown>): Promise<void> {
    await this.start(serviceId, executionName, input);
  }

  private async start(serviceId: string, name: string, input: Record<string, unknown>): Promise<string> {
    const stateMachineArn = this.machine(serviceId);
    const arn = executionArn(stateMachineArn, name);
    const body = JSON.stringify(input);
    try {
      const out = await this.client().send(new StartExecutionCommand({ stateMachineArn, name, input: body }));
      return out.executionArn ?? arn;
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
      // Same name and same input is a replay (also after the execution closed); anything else is a clash.
      const existing = await this.client().send(new DescribeExecutionCommand({ executionArn: arn }));
      if (sameJson(existing.input, body)) return arn;
      throw new ConflictError('CASE_EXISTS', `Execution ${name} was already started with other input.`);
    }
  }

  async stopCase(serviceId: string, executionName: string, reason: string): Promise<void> {
    const arn = executionArn(this.machine(serviceId), executionName);
    try {
      await this.client().send(
        new StopExecutionCommand({
          executionArn: arn,
          error: 'Case.Cancelled',
          cause: reason.slice(0, 32_768),
        }),
      );
    } catch (error) {
      // Never started (the create request failed half-way): there is nothing to stop.
      if (!(error instanceof ExecutionDoesNotExist)) throw error;
    }
  }

  async redriveCase(serviceId: string, executionName: string): Promise<void> {
    const arn = executionArn(this.machine(serviceId), executionName);
    try {
      await this.client().send(new RedriveExecutionCommand({ executionArn: arn }));
    } catch (error) {
      if (error instanceof ExecutionLimitExceeded)
        throw new ConflictError(
          'NOT_REDRIVABLE',
          'Too many cases are running right now to resume this one. Try again in a few minutes.',
          { reason: error.name },
        );
      if (error instanceof ExecutionNotRedrivable || error instanceof ExecutionDoesNotExist)
        throw new ConflictError(
          'NOT_REDRIVABLE',
          'This case can no longer be resumed (a failed case can be tried again for 14 days). Stop it and start a new one.',
          { reason: error.name },
        );
      // The answer may have been lost after Step Functions acted (the SDK retries with the same client
      // token, so a retry is safe, but all of them can time out): a RUNNING execution was redriven.
      if (await this.isRunning(arn)) return;
      throw error;
    }
  }

  private async isRunning(executionArn: string): Promise<boolean> {
    try {
      const out = await this.client().send(new DescribeExecutionCommand({ executionArn }));
      return out.status === 'RUNNING';
    } catch {
      return false;
    }
  }
}

/** DescribeExecution for the status events that leave error and cause out. */
export class SfnExecutions implements ExecutionDescriber {
  constructor(private readonly client: () => SFNClient) {}

  async describeFailure(executionArn: string) {
    const out = await this.client().send(new DescribeExecutionCommand({ executionArn }));
    return {
      ...(out.error !== undefined && { error: out.error }),
      ...(out.cause !== undefined && { cause: out.cause }),
      redriveCount: out.redriveCount ?? 0,
    };
  }
}
