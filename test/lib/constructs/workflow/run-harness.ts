import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../../functions/adapters/table-keys';
import { ACCOUNT, Engine } from '../../../../local/sfn/index';
import { type LocalTable, localDocumentClient, startDynalite } from '../../../support/dynalite';
import type { Asl } from '../../support';

// A compiled service machine on the project's Step Functions engine, its DynamoDB integrations
// against dynalite (the real case item, the real conditions), and open-step replaced by a recorder:
// the test plays the partners by completing the recorded task tokens, and moves the engine clock.

export interface Invocation {
  Payload: Record<string, string>;
  token: string;
}
type Fault = (payload: Record<string, string>) => Error | undefined;

export const CASE_ID = 'c-1';
export const CREATED_AT = '2026-01-01T00:00:00.000Z';
const turn = () => new Promise((r) => setImmediate(r));

export class Run {
  readonly invocations: Invocation[] = [];
  /** Decides per open-step call whether it fails (and how), like a throttled or broken function. */
  fault: Fault = () => undefined;
  private constructor(
    readonly engine: Engine,
    readonly table: LocalTable,
    readonly db: ReturnType<typeof localDocumentClient>,
    private readonly raw: DynamoDBClient,
    readonly machineArn: string,
  ) {}

  static async start(asl: Asl, name: string): Promise<Run> {
    const text = JSON.stringify(asl).replaceAll(':123456789012:', `:${ACCOUNT}:`);
    const tableName = /"TableName":"([^"]+)"/.exec(text)?.[1] ?? 'cases';
    const table = await startDynalite(tableName);
    const raw = new DynamoDBClient({
      endpoint: table.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    let run: Run | undefined;
    const engine = new Engine({
      dynamodb: raw,
      invoke: async (_fn, payload) => {
        const p = payload as Record<string, string>;
        const error = run?.fault(p);
        if (error) throw error;
        run?.invocations.push({ Payload: p, token: p.taskToken as string });
        return { result: 'opened' };
      },
    });
    const { stateMachineArn } = await engine.createStateMachine({ name, definition: text });
    run = new Run(engine, table, localDocumentClient(table.endpoint), raw, stateMachineArn as string);
    return run;
  }

  async stop(): Promise<void> {
    await this.engine.close();
    this.db.destroy();
    this.raw.destroy();
    await this.table.stop();
  }

  /** The case item as create-case writes it (status ACTIVE, no stage entered yet). */
  async seedCase(over: Record<string, unknown> = {}): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table.tableName,
        Item: {
          ...keys.case(CASE_ID),
          caseId: CASE_ID,
          serviceId: 'repair-request',
          org: 'org-1',
          status: 'ACTIVE',
          createdAt: CREATED_AT,
          updatedAt: CREATED_AT,
          ttl: 1_900_000_000,
          visits: 0,
          ...over,
        },
      }),
    );
  }

  async put(item: Record<string, unknown>): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table.tableName, Item: item }));
  }

  async caseItem(): Promise<Record<string, unknown>> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table.tableName, Key: keys.case(CASE_ID) }),
    );
    return out.Item ?? {};
  }

  async item(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    return (await this.db.send(new GetCommand({ TableName: this.table.tableName, Key: key }))).Item;
  }

  async events(): Promise<Record<string, unknown>[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
        ExpressionAttributeValues: { ':pk': keys.case(CASE_ID).pk, ':event': 'EVENT#' },
      }),
    );
    return out.Items ?? [];
  }

  async execute(input: Record<string, unknown> = {}, name = CASE_ID): Promise<string> {
    const { executionArn } = await this.engine.startExecution({
      stateMachineArn: this.machineArn,
      name,
      input: JSON.stringify({
        caseId: CASE_ID,
        serviceId: 'repair-request',
        org: 'org-1',
        createdAt: CREATED_AT,
        ...input,
      }),
    });
    return executionArn as string;
  }

  /** Turns the event loop until `ready` holds (the engine's work is asynchronous). */
  async until(ready: () => boolean | Promise<boolean>, what: string): Promise<void> {
    for (let i = 0; i < 5000; i++) {
      if (await ready()) return;
      await turn();
    }
    throw new Error(`gave up waiting for ${what}`);
  }

  /** Waits for open-step to have been asked to open `stepId`'s `count`-th wait segment, and returns it. */
  async opened(stepId: string, count = 1): Promise<Invocation> {
    const of = () => this.invocations.filter((i) => i.Payload.stepId === stepId);
    await this.until(() => of().length >= count, `${stepId} opened ${count}x`);
    return of()[count - 1] as Invocation;
  }

  /** The partner submits `stepId`: the latest token of the step completes with the submission. */
  async answer(stepId: string, data: Record<string, unknown> = { x: 'y' }): Promise<void> {
    const latest = this.invocations.filter((i) => i.Payload.stepId === stepId).at(-1);
    if (!latest) throw new Error(`${stepId} was never opened`);
    const submission = { stepId, actor: 'citizen', channel: 'web', submittedAt: CREATED_AT, data };
    await this.engine.sendTaskSuccess({ taskToken: latest.token, output: JSON.stringify(submission) });
  }

  /** Moves the clock on timer by timer, so each wait segment starts when the previous one ends. */
  async advance(seconds: number): Promise<void> {
    const target = this.engine.now() + seconds * 1000;
    for (
      let next = this.engine.nextTimer();
      next !== undefined && next <= target;
      next = this.engine.nextTimer()
    ) {
      await this.engine.advance(Math.max(0, next - this.engine.now()) / 1000);
      for (let i = 0; i < 50; i++) await turn();
    }
    await this.engine.advance(Math.max(0, target - this.engine.now()) / 1000);
  }

  async finished(executionArn: string) {
    await this.until(
      () => this.engine.describeExecution({ executionArn }).status !== 'RUNNING',
      'the execution to end',
    );
    return this.engine.describeExecution({ executionArn });
  }

  /** StateEntered events (billed transitions) and all history events of an execution. */
  history(executionArn: string): { entered: string[]; events: number } {
    const events = this.engine.getExecutionHistory({ executionArn, maxResults: 1000 }).events ?? [];
    const entered = events
      .filter((e) => String(e.type).endsWith('StateEntered'))
      .map((e) => String(e.stateEnteredEventDetails?.name));
    return { entered, events: events.length };
  }
}
