/**
 * The one adapter between the runtime and the project's Step Functions engine (local/sfn/):
 * the template's state machines registered, Lambda tasks routed to the local Lambda, and the
 * engine's API served over HTTP (AWS JSON 1.0) for the functions' SFN clients.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Engine, type Json, listen, SfnApiError, type StatusListener } from '../sfn/index';
import { physicalName, stateMachineArn } from './names';
import { type ResolveContext, resolve } from './resolve';
import { resourcesOfType } from './template';

export interface StateMachineSpec {
  name: string;
  arn: string;
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
}

export function stateMachineSpecs(ctx: ResolveContext): StateMachineSpec[] {
  return resourcesOfType(ctx.template, 'AWS::StepFunctions::StateMachine').map(([id, r]) => {
    const p = r.Properties ?? {};
    let definition =
      p.DefinitionString !== undefined
        ? String(resolve(ctx, p.DefinitionString))
        : JSON.stringify(resolve(ctx, p.Definition ?? {}));
    const subs = (resolve(ctx, p.DefinitionSubstitutions ?? {}) as Record<string, unknown>) ?? {};
    definition = definition.replace(/\$\{([^}]+)\}/g, (m, k: string) => (k in subs ? String(subs[k]) : m));
    const name = physicalName(ctx, id);
    return {
      name,
      arn: stateMachineArn(name),
      definition,
      roleArn: String(resolve(ctx, p.RoleArn ?? '')),
      type: p.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
    };
  });
}

export interface LocalEngine {
  endpoint: string;
  engine: Engine;
  now(): number;
  /**
   * Fast-forwards the clock through every timer due on the way, one at a time, letting the work
   * each one starts finish first: a reminder segment that starts when the previous one times out
   * starts at that moment of engine time, not at the end of the jump.
   */
  advance(seconds: number): Promise<void>;
  /**
   * Calls `listener` on every status change of a Standard execution (Express executions send no
   * events on AWS). A promise it returns tells the engine when the change was handled.
   */
  onStatusChange(listener: StatusListener): void;
  stop(): Promise<void>;
}

export interface EngineSetup {
  dir: string;
  machines: StateMachineSpec[];
  invoke: (functionArn: string, payload: Json) => Promise<unknown>;
  dynamodb: DynamoDBClient;
  /** Objects for Map states' ItemReader (s3:getObject), streamed. */
  s3?: { getObject(bucket: string, key: string): Promise<AsyncIterable<Uint8Array>> };
  log: (line: string) => void;
}

const turn = () => new Promise((r) => setImmediate(r));

export async function startEngine(setup: EngineSetup): Promise<LocalEngine> {
  // Work the engine started (Lambda tasks, DynamoDB integrations) is counted, so `advance` knows when it settled.
  let inflight = 0;
  const track = <T>(p: Promise<T>) => {
    inflight++;
    return p.finally(() => inflight--);
  };
  const dynamodb = {
    send: (command: never) => track(setup.dynamodb.send(command)),
  } as unknown as DynamoDBClient;
  const s3 = setup.s3;
  const options: ConstructorParameters<typeof Engine>[0] = {
    dataDir: setup.dir,
    invoke: (arn, payload) => track(setup.invoke(arn, payload)),
    dynamodb,
    // Counted like the other work: the first read of a round file is part of settling.
    ...(s3 ? { s3: { getObject: (bucket: string, key: string) => track(s3.getObject(bucket, key)) } } : {}),
  };
  const engine = new Engine(options);
  for (const m of setup.machines) {
    const input = { name: m.name, definition: m.definition, roleArn: m.roleArn, type: m.type };
    try {
      await engine.createStateMachine(input);
    } catch (e) {
      if (!(e instanceof SfnApiError) || e.code !== 'StateMachineAlreadyExists') throw e;
      // A new synth changed the definition: new executions get it, running ones keep theirs (as on AWS).
      await engine.deleteStateMachine({ stateMachineArn: m.arn });
      await engine.createStateMachine(input);
      setup.log(`state machine ${m.name}: definition updated`);
    }
  }
  const server = await listen(engine, 0);

  const idle = async () => {
    for (let quiet = 0; quiet < 3; ) {
      await turn();
      if (inflight > 0) {
        quiet = 0;
        await new Promise((r) => setTimeout(r, 1));
      } else quiet++;
    }
  };

  let clock = Promise.resolve();
  const advance = async (seconds: number) => {
    const target = engine.now() + seconds * 1000;
    await idle();
    for (let i = 0; i < 100_000; i++) {
      const next = engine.nextTimer();
      if (next === undefined || next > target) break;
      await engine.advance(Math.max(0, next - engine.now()) / 1000);
      await idle();
    }
    const rest = target - engine.now();
    if (rest > 0) await engine.advance(rest / 1000);
    await idle();
  };

  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    engine,
    now: () => engine.now(),
    // One fast-forward at a time: two interleaved ones would fire timers out of order.
    advance: (seconds) => {
      const run = clock.then(() => advance(seconds));
      clock = run.catch(() => {});
      return run;
    },
    onStatusChange: (listener) =>
      engine.onStatusChange((change) => {
        let type: string | undefined;
        try {
          type = engine.describeStateMachine({ stateMachineArn: change.stateMachineArn }).type;
        } catch {
          type = undefined; // deleted since: its executions were started as it was, Standard here
        }
        return type === undefined || type === 'STANDARD' ? listener(change) : undefined;
      }),
    async stop() {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      await engine.close();
    },
  };
}
