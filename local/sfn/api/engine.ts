/**
 * The local Step Functions engine: state machines, executions, task tokens, timers and the
 * engine clock, durable through the journal when `dataDir` is set. The public methods mirror
 * the Step Functions API (same inputs and outputs as @aws-sdk/client-sfn) so the HTTP server is
 * a thin adapter, and in-process callers can use them directly.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type * as Sfn from '@aws-sdk/client-sfn';
import type { ExecRec, Machine, Thread } from '../durability/store';
import { decodeToken } from '../durability/task-tokens';
import { eventView } from '../interpreter/history';
import { earlierRedrive, redriveBlocker } from '../interpreter/redrive';
import { asStatesError } from '../interpreter/runner';
import { type CompiledMachine, compileMachine, DefinitionError } from '../language/definition';
import { type Json, StatesError } from '../language/types';
import { EngineCore, type EngineOptions } from '../scheduler/engine-core';
import { checkArn, checkName, SfnApiError } from './api-errors';
import { paginate } from './paging';
import { createHandler, listen } from './server';
import type { StatusListener } from './status-notices';

export type { EngineOptions } from '../scheduler/engine-core';
export const ACCOUNT = '000000000000';

function compileDefinition(definition: string): CompiledMachine {
  try {
    return compileMachine(JSON.parse(definition));
  } catch (e) {
    const why = e instanceof DefinitionError || e instanceof SyntaxError ? e.message : String(e);
    throw new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: '${why}'`);
  }
}

export class Engine extends EngineCore {
  constructor(options: EngineOptions = {}) {
    super(options);
    this.resolvers.push((r) => this.localResolver(r));
  }

  /** A node:http request handler speaking the Step Functions JSON API for this engine. */
  handler(): (req: IncomingMessage, res: ServerResponse) => void {
    return createHandler(this);
  }

  /** Serves the JSON API on `port` (0 = a free port; the bound port is `server.port`). */
  listen(port = 0, host = '127.0.0.1'): Promise<Server & { port: number }> {
    return listen(this, port, host);
  }

  // ---------------------------------------------------------------- machines

  machineArn(name: string): string {
    return `arn:aws:states:${this.region}:${ACCOUNT}:stateMachine:${name}`;
  }

  async createStateMachine(
    input: Omit<Sfn.CreateStateMachineInput, 'roleArn'> & { roleArn?: string },
  ): Promise<Sfn.CreateStateMachineOutput> {
    const name = checkName(input.name);
    const definition = input.definition ?? '';
    const compiled = compileDefinition(definition);
    const arn = this.machineArn(name);
    const old = this.store.machines.get(arn);
    if (old && !old.deleted) {
      if (old.definition === definition && old.roleArn === (input.roleArn ?? old.roleArn)) {
        return { stateMachineArn: arn, creationDate: new Date(old.created) };
      }
      throw new SfnApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const m: Machine = {
      arn,
      name,
      definition,
      roleArn: input.roleArn ?? `arn:aws:iam::${ACCOUNT}:role/local`,
      type: input.type ?? 'STANDARD',
      created: this.now(),
      compiled,
      // A re-created machine gets a new revision; executions of the deleted one keep theirs.
      rev: old ? (old.rev ?? 0) + 1 : 0,
    };
    this.store.putMachine(m);
    await this.settle();
    return { stateMachineArn: arn, creationDate: new Date(m.created) };
  }

  /**
   * New definition and/or role. As in AWS, running executions finish on the definition they
   * started with; new executions use the new one.
   */
  async updateStateMachine(input: Sfn.UpdateStateMachineInput): Promise<Sfn.UpdateStateMachineOutput> {
    const old = this.machine(input.stateMachineArn);
    if (input.definition === undefined && input.roleArn === undefined) {
      throw new SfnApiError('MissingRequiredParameter', 'Either the definition or the roleArn must be given');
    }
    const definition = input.definition ?? old.definition;
    const compiled = input.definition === undefined ? old.compiled : compileDefinition(definition);
    const rev = (old.rev ?? 0) + 1;
    this.store.putMachine({ ...old, definition, compiled, roleArn: input.roleArn ?? old.roleArn, rev });
    await this.settle();
    return { updateDate: new Date(this.now()), revisionId: String(rev) };
  }

  private machine(arn: unknown): Machine {
    const a = checkArn(arn, 'stateMachine');
    const m = this.store.machines.get(a);
    if (!m || m.deleted)
      throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${a}'`);
    return m;
  }

  describeStateMachine(input: Sfn.DescribeStateMachineInput): Sfn.DescribeStateMachineOutput {
    const m = this.machine(input.stateMachineArn);
    return {
      stateMachineArn: m.arn,
      name: m.name,
      status: 'ACTIVE',
      definition: m.definition,
      roleArn: m.roleArn,
      type: m.type as Sfn.StateMachineType,
      creationDate: new Date(m.created),
    };
  }

  listStateMachines(input: Sfn.ListStateMachinesInput = {}): Sfn.ListStateMachinesOutput {
    const all = [...this.store.machines.values()]
      .filter((m) => !m.deleted)
      .sort((a, b) => a.name.localeCompare(b.name));
    const { page, nextToken } = paginate(all, input.maxResults, input.nextToken);
    return {
      stateMachines: page.map((m) => ({
        stateMachineArn: m.arn,
        name: m.name,
        type: m.type as Sfn.StateMachineType,
        creationDate: new Date(m.created),
      })),
      nextToken,
    };
  }

  async deleteStateMachine(input: Sfn.DeleteStateMachineInput): Promise<Sfn.DeleteStateMachineOutput> {
    const m = this.store.machines.get(checkArn(input.stateMachineArn, 'stateMachine'));
    if (m && !m.deleted) {
      // Running executions keep their definition, as in AWS (the machine goes to DELETING).
      this.store.putMachine({ ...m, deleted: true });
      await this.settle();
    }
    return {};
  }

  // ---------------------------------------------------------------- executions

  async startExecution(input: Sfn.StartExecutionInput): Promise<Sfn.StartExecutionOutput> {
    const m = this.machine(input.stateMachineArn);
    const name = input.name === undefined ? randomUUID() : checkName(input.name);
    const text = input.input ?? '{}';
    try {
      JSON.parse(text);
    } catch {
      throw new SfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${text}'`);
    }
    const arn = `arn:aws:states:${this.region}:${ACCOUNT}:execution:${m.name}:${name}`;
    const old = this.store.execs.get(arn);
    if (old) {
      // Same name and input on a running execution is an idempotent retry (AWS behaviour).
      if (old.st === 'RUNNING' && old.input === text) {
        await this.journal?.sync();
        return { executionArn: arn, startDate: new Date(old.start) };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const x = this.begin(m, arn, name, text);
    // Journal the start now (the run itself happens on the next tick), then wait until durable.
    this.commit();
    this.kick();
    await this.journal?.sync();
    return { executionArn: arn, startDate: new Date(x.start) };
  }

  private begin(m: Machine, arn: string, name: string, input: string): ExecRec {
    const start = this.now();
    const x: ExecRec = {
      key: this.store.nextExecKey,
      rev: m.rev ?? 0,
      arn,
      name,
      sm: m.arn,
      input,
      st: 'RUNNING',
      start,
      ne: 1,
      nt: 1,
    };
    this.store.putExec(x);
    this.index(x);
    const root: Thread = {
      id: `${x.key}.0`,
      x: x.key,
      g: 0,
      s: m.compiled.graphs[0]?.startAt ?? '',
      in: JSON.parse(input) as Json,
      ph: 'enter',
      en: start,
      rc: 0,
      at: 0,
      le: 0,
    };
    this.runner.history.emit(x, root, 'ExecutionStarted', {
      input,
      inputDetails: { truncated: false },
      roleArn: m.roleArn,
    });
    if (m.compiled.timeoutSeconds) {
      x.to = start + m.compiled.timeoutSeconds * 1000;
      this.addTimer(x.to, `x${x.key}`);
    }
    this.store.putThread(root);
    this.runner.queue.push(root);
    this.notices.record(x);
    return x;
  }

  private exec(arn: unknown): ExecRec {
    const a = checkArn(arn, 'execution');
    const x = this.store.execs.get(a);
    if (!x) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${a}'`);
    return x;
  }

  describeExecution(input: Sfn.DescribeExecutionInput): Sfn.DescribeExecutionOutput {
    const x = this.exec(input.executionArn);
    // "redriveStatus is NOT_REDRIVABLE if calling the RedriveExecution API action would return
    // the ExecutionNotRedrivable error" (DescribeExecution API reference).
    const blocker = redriveBlocker(x, this.store.machines.get(x.sm), this.now());
    return {
      executionArn: x.arn,
      stateMachineArn: x.sm,
      name: x.name,
      status: x.st,
      startDate: new Date(x.start),
      stopDate: x.stop !== undefined ? new Date(x.stop) : undefined,
      input: x.input,
      inputDetails: { included: true },
      output: x.output,
      outputDetails: x.output !== undefined ? { included: true } : undefined,
      error: x.error,
      cause: x.cause,
      redriveCount: x.redriveCount ?? 0,
      redriveDate: x.redriveDate !== undefined ? new Date(x.redriveDate) : undefined,
      redriveStatus: blocker === null ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
      redriveStatusReason: blocker ?? undefined,
    };
  }

  listExecutions(input: Sfn.ListExecutionsInput): Sfn.ListExecutionsOutput {
    const m = this.store.machines.get(checkArn(input.stateMachineArn, 'stateMachine'));
    if (!m)
      throw new SfnApiError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${input.stateMachineArn}'`,
      );
    let list = [...(this.byMachine.get(m.arn) ?? [])].reverse();
    if (input.statusFilter) list = list.filter((x) => x.st === input.statusFilter);
    if (input.redriveFilter === 'REDRIVEN') list = list.filter((x) => (x.redriveCount ?? 0) > 0);
    if (input.redriveFilter === 'NOT_REDRIVEN') list = list.filter((x) => !x.redriveCount);
    const { page, nextToken } = paginate(list, input.maxResults, input.nextToken);
    return {
      executions: page.map((x) => ({
        executionArn: x.arn,
        stateMachineArn: x.sm,
        name: x.name,
        status: x.st,
        startDate: new Date(x.start),
        stopDate: x.stop !== undefined ? new Date(x.stop) : undefined,
        redriveCount: x.redriveCount ?? 0,
        redriveDate: x.redriveDate !== undefined ? new Date(x.redriveDate) : undefined,
      })),
      nextToken,
    };
  }

  getExecutionHistory(input: Sfn.GetExecutionHistoryInput): Sfn.GetExecutionHistoryOutput {
    const x = this.exec(input.executionArn);
    let events = this.store.history.get(x.key) ?? [];
    if (input.reverseOrder) events = [...events].reverse();
    const { page, nextToken } = paginate(events, input.maxResults, input.nextToken);
    return {
      events: page.map((e) => eventView(e) as unknown as Sfn.HistoryEvent),
      nextToken,
    };
  }

  async stopExecution(input: Sfn.StopExecutionInput): Promise<Sfn.StopExecutionOutput> {
    const x = this.exec(input.executionArn);
    if (x.st === 'RUNNING') {
      const root = this.store.threads.get(`${x.key}.0`);
      if (root) this.runner.parkTree(root);
      x.error = input.error;
      x.cause = input.cause;
      const d: Record<string, string> = {};
      if (input.error !== undefined) d.error = input.error;
      if (input.cause !== undefined) d.cause = input.cause;
      this.runner.close(x, 'ABORTED', 'ExecutionAborted', d, root ?? null);
      await this.settle();
    }
    return { stopDate: new Date(x.stop ?? this.now()) };
  }

  /**
   * Continues a FAILED, TIMED_OUT or ABORTED execution from the states that did not succeed
   * (redrive.ts). A repeated clientToken within 15 minutes answers like the first call did.
   */
  async redriveExecution(input: Sfn.RedriveExecutionInput): Promise<Sfn.RedriveExecutionOutput> {
    const token = input.clientToken;
    if (token !== undefined && (typeof token !== 'string' || !/^[!-~]{1,64}$/.test(token))) {
      throw new SfnApiError('ValidationException', 'clientToken must be 1 to 64 printable ASCII characters');
    }
    const x = this.exec(input.executionArn);
    const now = this.now();
    const earlier = earlierRedrive(x, token, now);
    if (earlier !== undefined) {
      await this.journal?.sync();
      return { redriveDate: new Date(earlier) };
    }
    const blocker = redriveBlocker(x, this.store.machines.get(x.sm), now);
    if (blocker !== null) throw new SfnApiError('ExecutionNotRedrivable', blocker);
    this.redrive(x, token);
    await this.settle();
    return { redriveDate: new Date(x.redriveDate ?? now) };
  }

  /**
   * Registers a listener for execution status changes: started, redriven, and closed (notices.ts
   * for the shape and the at-least-once delivery). What a listener throws is reported, never
   * passed on.
   */
  onStatusChange(listener: StatusListener): void {
    this.notices.listen(listener);
  }

  /** Resolves when the execution is no longer RUNNING (in-process helper). */
  waitForExecution(executionArn: string): Promise<Sfn.DescribeExecutionOutput> {
    const x = this.exec(executionArn);
    if (x.st !== 'RUNNING') return Promise.resolve(this.describeExecution({ executionArn }));
    return new Promise((resolve) => {
      let l = this.waiters.get(x.arn);
      if (!l) {
        l = [];
        this.waiters.set(x.arn, l);
      }
      l.push(() => resolve(this.describeExecution({ executionArn })));
    });
  }

  // ---------------------------------------------------------------- task tokens

  /** The running task for a token, or the error AWS gives for it. */
  private task(token: unknown): Thread {
    if (typeof token !== 'string' || token.length < 1 || token.length > 1024) {
      throw new SfnApiError('ValidationException', 'taskToken must be between 1 and 1024 characters');
    }
    const t = this.tokens.get(token);
    if (t) return t;
    const execKey = decodeToken(token);
    if (execKey === null) throw new SfnApiError('InvalidToken', "Invalid Token: 'Invalid token'");
    if (!this.store.execByKey.has(execKey)) {
      throw new SfnApiError('TaskDoesNotExist', "Task Does Not Exist: 'Provided task does not exist'");
    }
    throw new SfnApiError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
  }

  async sendTaskSuccess(input: Sfn.SendTaskSuccessInput): Promise<Sfn.SendTaskSuccessOutput> {
    const t = this.task(input.taskToken);
    let output: Json;
    try {
      output = JSON.parse(input.output ?? '') as Json;
    } catch {
      throw new SfnApiError('InvalidOutput', `Invalid Output: '${input.output}'`);
    }
    this.runner.taskSucceeded(t, t.at, output);
    await this.settle();
    return {};
  }

  async sendTaskFailure(input: Sfn.SendTaskFailureInput): Promise<Sfn.SendTaskFailureOutput> {
    const t = this.task(input.taskToken);
    this.runner.taskFailed(t, t.at, new StatesError(input.error ?? '', input.cause ?? ''));
    await this.settle();
    return {};
  }

  async sendTaskHeartbeat(input: Sfn.SendTaskHeartbeatInput): Promise<Sfn.SendTaskHeartbeatOutput> {
    const t = this.task(input.taskToken);
    if (t.hs !== undefined) {
      t.hb = this.now() + t.hs * 1000;
      this.store.touch(t);
      this.addTimer(t.hb, t.id);
      await this.settle();
    }
    return {};
  }

  /** Built-in local integration: arn:aws:states:::states:startExecution. */
  private localResolver(
    resource: string,
  ): ((c: import('../integrations/task-resources').TaskCall) => Promise<Json>) | undefined {
    if (resource !== 'arn:aws:states:::states:startExecution') return undefined;
    return async ({ parameters }) => {
      const p = (parameters ?? {}) as Record<string, Json>;
      const inp = p.Input;
      try {
        const r = await this.startExecution({
          stateMachineArn: String(p.StateMachineArn),
          name: typeof p.Name === 'string' ? p.Name : undefined,
          input: typeof inp === 'string' ? inp : JSON.stringify(inp ?? {}),
        });
        return { ExecutionArn: r.executionArn ?? '', StartDate: (r.startDate as Date).toISOString() };
      } catch (e) {
        if (e instanceof SfnApiError) throw new StatesError(`StepFunctions.${e.code}Exception`, e.message);
        throw asStatesError(e);
      }
    };
  }
}
