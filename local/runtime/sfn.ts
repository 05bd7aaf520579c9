/**
 * The one adapter between the runtime and the project's Step Functions engine (local/sfn/):
 * the template's state machines registered, Lambda tasks routed to the local Lambda, and the
 * engine's API served over HTTP (AWS JSON 1.0) for the functions' SFN clients, behind the gate that
 * checks the callers' IAM permissions and injects faults (sfn-gate.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type AccessDecision,
  createHandler,
  Engine,
  type IntegrationCall,
  type Json,
  SfnApiError,
  type StatusListener,
} from '../sfn/index';
import type { EngineClock } from './clock';
import type { Refusal } from './json10-refusal';
import { LambdaServiceError } from './lambda';
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
  /** Decides every call a state machine's integration makes with its role (EngineOptions.authorize). */
  authorize?: (call: IntegrationCall) => AccessDecision;
  /** Checks an API request before the engine sees it (IAM, faults). */
  gate?: (req: IncomingMessage, body: Buffer) => Refusal | undefined;
  log: (line: string) => void;
  /** Follows the engine's clock and publishes it to the functions (clock.ts). */
  clock?: EngineClock;
}

/**
 * A Lambda Invoke refused by Lambda (a throttle, a service error) as the Lambda integration reports it:
 * `Lambda.<exception>`, with the cause the Java SDK behind Step Functions writes.
 */
async function invokeAsIntegration(invoke: EngineSetup['invoke'], arn: string, payload: Json) {
  try {
    return await invoke(arn, payload);
  } catch (e) {
    if (!(e instanceof LambdaServiceError)) throw e;
    const cause = `${e.message} (Service: AWSLambda; Status Code: ${e.status}; Error Code: ${e.code}; Request ID: ${randomUUID()}; Proxy: null)`;
    throw Object.assign(new Error(cause), { name: `Lambda.${e.code}` });
  }
}

/** The engine's API over HTTP, each request first offered to the gate. */
function serve(engine: Engine, gate: EngineSetup['gate'], clock?: EngineClock) {
  const handler = createHandler(engine);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const refused = gate?.(req, body);
      if (refused) {
        const type = (JSON.parse(refused.body) as { __type: string }).__type;
        res.writeHead(refused.status, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-errortype': type,
          'x-amzn-requestid': randomUUID(),
        });
        return void res.end(refused.body);
      }
      const replay = Object.assign(new PassThrough(), {
        headers: req.headers,
        method: req.method,
        url: req.url,
      });
      handler(replay as unknown as IncomingMessage, res);
      replay.end(body);
    });
  });
  clock?.stamp(server);
  return new Promise<typeof server>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
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
  // `authorize`: IAM asked before every call a state machine's integration makes with its role.
  const options: ConstructorParameters<typeof Engine>[0] = {
    dataDir: setup.dir,
    ...(setup.authorize ? { authorize: setup.authorize } : {}),
    invoke: (arn, payload) => track(invokeAsIntegration(setup.invoke, arn, payload)),
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
  const server = await serve(engine, setup.gate, setup.clock);
  setup.clock?.follow(() => engine.now()); // the offset restored from the journal

  // Quiet means no call of ours in flight and nothing the engine still has to run or dispatch (a task
  // waiting for a free slot counts), so a fast-forward never jumps the clock past work not yet done.
  const busy = () => {
    const stats = engine.stats();
    return inflight > 0 || stats.runnable > 0 || stats.tasksQueued > 0 || stats.tasksInFlight > 0;
  };
  const idle = async () => {
    for (let quiet = 0; quiet < 3; ) {
      await turn();
      if (busy()) {
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
      setup.clock?.sync(); // functions still running see the new time at once
      await idle();
    }
    const rest = target - engine.now();
    if (rest > 0) await engine.advance(rest / 1000);
    setup.clock?.sync();
    await idle();
  };

  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
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
