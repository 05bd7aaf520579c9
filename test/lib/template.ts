import type { HandlerName } from '../../lib/function-manifest';
import type { TestStack } from './support';

// Reading a synthesized stack the way AWS will: a function's resource, environment and the policy
// statements of its role.

export type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };
export type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};
export type Resources = Record<string, Resource>;

export const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

export class StackView {
  readonly resources: Resources;

  constructor(readonly test: TestStack) {
    this.resources = test.template.toJSON().Resources as Resources;
  }

  resource(id: string): Resource {
    const r = this.resources[id];
    if (!r) throw new Error(`no resource ${id}`);
    return r;
  }

  ofType(type: string): [string, Resource][] {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type);
  }

  /** The logical id of the function built from functions/handlers/<name>.ts. */
  fnId(name: HandlerName): string {
    return this.test.stack.getLogicalId(this.test.stack.handlers.get(name).node.defaultChild as never);
  }

  env(name: HandlerName): Record<string, unknown> {
    const env = this.resource(this.fnId(name)).Properties.Environment as {
      Variables: Record<string, unknown>;
    };
    return env.Variables;
  }

  /** All statements of policies attached to the function's role. */
  statements(name: HandlerName): Statement[] {
    const role = (this.resource(this.fnId(name)).Properties.Role as { 'Fn::GetAtt': [string] })[
      'Fn::GetAtt'
    ][0];
    return Object.values(this.resources)
      .filter(
        (r) =>
          r.Type === 'AWS::IAM::Policy' &&
          JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: role }]),
      )
      .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  }

  actions(name: HandlerName): string[] {
    return this.statements(name).flatMap((s) => list(s.Action));
  }

  /** Statements with any action of the given service prefix (`dynamodb`, `states`, ...). */
  statementsFor(name: HandlerName, service: string): Statement[] {
    return this.statements(name).filter((s) => list(s.Action).some((a) => a.startsWith(`${service}:`)));
  }

  idOf(type: string, match: (r: Resource) => boolean = () => true): string {
    const found = this.ofType(type).find(([, r]) => match(r));
    if (!found) throw new Error(`no ${type}`);
    return found[0];
  }
}
