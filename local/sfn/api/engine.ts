/**
 * The local Step Functions engine, as its users see it: the Step Functions API (same inputs and
 * outputs as @aws-sdk/client-sfn, so server.ts is a thin adapter and in-process callers can use
 * the methods directly) plus the engine clock. Each action lives in the module named after
 * its group; the engine core (scheduler/engine-core.ts) holds the state they act on.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type * as Sfn from '@aws-sdk/client-sfn';
import { startExecutionResolver } from '../integrations/start-execution';
import { EngineCore } from '../scheduler/engine-core';
import type { EngineOptions } from '../scheduler/engine-options';
import { type EngineStats, engineStats } from '../scheduler/engine-stats';
import type { StatusListener } from '../scheduler/status-notices';
import { redriveExecution, stopExecution } from './execution-control';
import * as executions from './executions';
import { createHandler, listen } from './server';
import * as machines from './state-machines';
import { sendTaskFailure, sendTaskHeartbeat, sendTaskSuccess } from './task-callbacks';

export type { EngineOptions } from '../scheduler/engine-options';
export { ACCOUNT } from './api-errors';

export class Engine {
  private readonly core: EngineCore;

  constructor(options: EngineOptions = {}) {
    this.core = new EngineCore(options, [startExecutionResolver((input) => this.startExecution(input))]);
  }

  get region(): string {
    return this.core.region;
  }

  /** A node:http request handler speaking the Step Functions JSON API for this engine. */
  handler(): (req: IncomingMessage, res: ServerResponse) => void {
    return createHandler(this);
  }

  /** Serves the JSON API on `port` (0 = a free port; the bound port is `server.port`). */
  listen(port = 0, host = '127.0.0.1'): Promise<Server & { port: number }> {
    return listen(this, port, host);
  }

  // ---------------------------------------------------------------- state machines

  machineArn(name: string): string {
    return machines.machineArn(this.core, name);
  }
  createStateMachine(
    input: Omit<Sfn.CreateStateMachineInput, 'roleArn'> & { roleArn?: string },
  ): Promise<Sfn.CreateStateMachineOutput> {
    return machines.createStateMachine(this.core, input);
  }
  updateStateMachine(input: Sfn.UpdateStateMachineInput): Promise<Sfn.UpdateStateMachineOutput> {
    return machines.updateStateMachine(this.core, input);
  }
  describeStateMachine(input: Sfn.DescribeStateMachineInput): Sfn.DescribeStateMachineOutput {
    return machines.describeStateMachine(this.core, input);
  }
  listStateMachines(input: Sfn.ListStateMachinesInput = {}): Sfn.ListStateMachinesOutput {
    return machines.listStateMachines(this.core, input);
  }
  deleteStateMachine(input: Sfn.DeleteStateMachineInput): Promise<Sfn.DeleteStateMachineOutput> {
    return machines.deleteStateMachine(this.core, input);
  }

  // ---------------------------------------------------------------- executions

  /** `startedBy`: who calls, for an execution whose task calls should queue apart (task-lanes.ts). */
  startExecution(input: Sfn.StartExecutionInput, startedBy?: string): Promise<Sfn.StartExecutionOutput> {
    return executions.startExecution(this.core, input, startedBy);
  }
  describeExecution(input: Sfn.DescribeExecutionInput): Sfn.DescribeExecutionOutput {
    return executions.describeExecution(this.core, input);
  }
  listExecutions(input: Sfn.ListExecutionsInput): Sfn.ListExecutionsOutput {
    return executions.listExecutions(this.core, input);
  }
  getExecutionHistory(input: Sfn.GetExecutionHistoryInput): Sfn.GetExecutionHistoryOutput {
    return executions.getExecutionHistory(this.core, input);
  }
  stopExecution(input: Sfn.StopExecutionInput): Promise<Sfn.StopExecutionOutput> {
    return stopExecution(this.core, input);
  }
  /** Continues an unsuccessful execution where it stopped (execution-control.ts). */
  redriveExecution(input: Sfn.RedriveExecutionInput): Promise<Sfn.RedriveExecutionOutput> {
    return redriveExecution(this.core, input);
  }
  /** Resolves when the execution is no longer RUNNING (in-process helper). */
  waitForExecution(executionArn: string): Promise<Sfn.DescribeExecutionOutput> {
    return executions.waitForExecution(this.core, executionArn);
  }
  /**
   * Registers a listener for execution status changes: started, redriven, and closed
   * (status-notices.ts for the shape and the at-least-once delivery). What a listener throws is
   * reported, never passed on.
   */
  onStatusChange(listener: StatusListener): void {
    this.core.notices.listen(listener);
  }

  // ---------------------------------------------------------------- task tokens

  sendTaskSuccess(input: Sfn.SendTaskSuccessInput): Promise<Sfn.SendTaskSuccessOutput> {
    return sendTaskSuccess(this.core, input);
  }
  sendTaskFailure(input: Sfn.SendTaskFailureInput): Promise<Sfn.SendTaskFailureOutput> {
    return sendTaskFailure(this.core, input);
  }
  sendTaskHeartbeat(input: Sfn.SendTaskHeartbeatInput): Promise<Sfn.SendTaskHeartbeatOutput> {
    return sendTaskHeartbeat(this.core, input);
  }

  // ---------------------------------------------------------------- clock and lifecycle

  /** Engine time in ms: real time plus the persisted fast-forward offset. */
  now(): number {
    return this.core.now();
  }
  /** Fast-forwards the clock; every timer due by the new time fires, in due order. */
  advance(seconds: number): Promise<void> {
    return this.core.advance(seconds);
  }
  /** Due time (engine ms) of the earliest pending timer, if any. */
  nextTimer(): number | undefined {
    return this.core.timers.next();
  }
  /** Stops timers and flushes the journal; the engine is unusable afterwards. */
  close(): Promise<void> {
    return this.core.close();
  }
  /** Counts for diagnostics and benchmarks. */
  stats(): EngineStats {
    return engineStats(this.core);
  }
}
