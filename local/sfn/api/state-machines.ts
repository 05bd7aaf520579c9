/** The state machine actions of the Step Functions API: Create, Update, Describe, List, Delete. */
import type * as Sfn from '@aws-sdk/client-sfn';
import type { StateMachine } from '../interpreter/execution-records';
import { type CompiledMachine, compileMachine } from '../language/definition';
import { DefinitionError } from '../language/states-errors';
import type { EngineCore } from '../scheduler/engine-core';
import { ACCOUNT, checkArn, checkName, SfnApiError } from './api-errors';
import { paginate } from './paging';

export const machineArn = (core: EngineCore, name: string) =>
  `arn:aws:states:${core.region}:${ACCOUNT}:stateMachine:${name}`;

function compileDefinition(definition: string): CompiledMachine {
  try {
    return compileMachine(JSON.parse(definition));
  } catch (e) {
    const why = e instanceof DefinitionError || e instanceof SyntaxError ? e.message : String(e);
    throw new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: '${why}'`);
  }
}

export function stateMachineOf(core: EngineCore, arn: unknown): StateMachine {
  const checked = checkArn(arn, 'stateMachine');
  const machine = core.store.machines.get(checked);
  if (!machine || machine.deleted)
    throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${checked}'`);
  return machine;
}

export async function createStateMachine(
  core: EngineCore,
  input: Omit<Sfn.CreateStateMachineInput, 'roleArn'> & { roleArn?: string },
): Promise<Sfn.CreateStateMachineOutput> {
  const name = checkName(input.name);
  const definition = input.definition ?? '';
  const compiled = compileDefinition(definition);
  const arn = machineArn(core, name);
  const old = core.store.machines.get(arn);
  if (old && !old.deleted) {
    if (old.definition === definition && old.roleArn === (input.roleArn ?? old.roleArn)) {
      return { stateMachineArn: arn, creationDate: new Date(old.createdAt) };
    }
    throw new SfnApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
  }
  const machine: StateMachine = {
    arn,
    name,
    definition,
    roleArn: input.roleArn ?? `arn:aws:iam::${ACCOUNT}:role/local`,
    type: input.type ?? 'STANDARD',
    createdAt: core.now(),
    compiled,
    // A re-created machine gets a new revision; executions of the deleted one keep theirs.
    revision: old ? old.revision + 1 : 0,
  };
  core.store.putMachine(machine);
  await core.settle();
  return { stateMachineArn: arn, creationDate: new Date(machine.createdAt) };
}

/**
 * New definition and/or role. As in AWS, running executions finish on the definition they
 * started with; new executions use the new one.
 */
export async function updateStateMachine(
  core: EngineCore,
  input: Sfn.UpdateStateMachineInput,
): Promise<Sfn.UpdateStateMachineOutput> {
  const old = stateMachineOf(core, input.stateMachineArn);
  if (input.definition === undefined && input.roleArn === undefined) {
    throw new SfnApiError('MissingRequiredParameter', 'Either the definition or the roleArn must be given');
  }
  const definition = input.definition ?? old.definition;
  const compiled = input.definition === undefined ? old.compiled : compileDefinition(definition);
  const revision = old.revision + 1;
  core.store.putMachine({ ...old, definition, compiled, roleArn: input.roleArn ?? old.roleArn, revision });
  await core.settle();
  return { updateDate: new Date(core.now()), revisionId: String(revision) };
}

export function describeStateMachine(
  core: EngineCore,
  input: Sfn.DescribeStateMachineInput,
): Sfn.DescribeStateMachineOutput {
  const machine = stateMachineOf(core, input.stateMachineArn);
  return {
    stateMachineArn: machine.arn,
    name: machine.name,
    status: 'ACTIVE',
    definition: machine.definition,
    roleArn: machine.roleArn,
    type: machine.type as Sfn.StateMachineType,
    creationDate: new Date(machine.createdAt),
  };
}

export function listStateMachines(
  core: EngineCore,
  input: Sfn.ListStateMachinesInput,
): Sfn.ListStateMachinesOutput {
  const all = [...core.store.machines.values()]
    .filter((m) => !m.deleted)
    .sort((a, b) => a.name.localeCompare(b.name));
  const { page, nextToken } = paginate(all, input.maxResults, input.nextToken);
  return {
    stateMachines: page.map((m) => ({
      stateMachineArn: m.arn,
      name: m.name,
      type: m.type as Sfn.StateMachineType,
      creationDate: new Date(m.createdAt),
    })),
    nextToken,
  };
}

export async function deleteStateMachine(
  core: EngineCore,
  input: Sfn.DeleteStateMachineInput,
): Promise<Sfn.DeleteStateMachineOutput> {
  const machine = core.store.machines.get(checkArn(input.stateMachineArn, 'stateMachine'));
  if (machine && !machine.deleted) {
    // Running executions keep their definition, as in AWS (the machine goes to DELETING).
    core.store.putMachine({ ...machine, deleted: true });
    await core.settle();
  }
  return {};
}
