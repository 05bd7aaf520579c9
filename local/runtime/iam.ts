/**
 * IAM, enforced from the template: every function gets credentials of its own (its execution role's
 * session, as Lambda gives it), every local endpoint finds the caller by the access key its request
 * was signed with, and every call a function or a state machine's integration makes is decided
 * against the caller's role (iam-policy.ts). A denial is answered as the service answers it, with
 * AWS's message, and logged with what the role would need.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html (the message format)
 *
 * Requests signed with any other key (the runtime itself, tests, scripts) are the account's own and
 * are not checked. LOCAL_IAM=off turns the checks off.
 */
import { createHash } from 'node:crypto';
import type { AccessDecision, IntegrationCall } from '../sfn/index';
import type { ContextKeys } from './iam-conditions';
import { unknownKeys } from './iam-conditions';
import { type Caller, type Decision, decide, type PolicyType, type Statement } from './iam-policy';
import type { RoleSpec, TemplatePolicies } from './iam-roles';
import { ACCOUNT, assumedRoleArn, REGION, shortHash } from './names';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export interface Principal {
  /** `function <handler name or function name>` or `state machine <name>`: for the log. */
  label: string;
  caller: Caller;
  role?: RoleSpec;
}

export interface AccessCheck {
  action: string;
  resource: string;
  /** Service condition keys of this request (lowercase), e.g. dynamodb:leadingkeys. */
  context?: ContextKeys;
}

export type Verdict = { allowed: true } | { allowed: false; message: string };

/** Condition keys the runtime puts into request contexts (global ones, and those the services add). */
const KNOWN_KEYS = new Set([
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principaltype',
  'aws:requestedregion',
  'aws:securetransport',
  'aws:currenttime',
  'aws:epochtime',
  'dynamodb:leadingkeys',
  'dynamodb:select',
  'dynamodb:returnvalues',
  'secretsmanager:secretid',
  's3:prefix',
]);

export interface MessageStyle {
  /** How the service spells the action in its message (SNS writes `SNS:Publish`). */
  action?: string;
  /** S3 puts the resource in quotes. */
  quoteResource?: boolean;
}

/** AWS's access denied text for a decision. */
export function deniedText(caller: Caller, check: AccessCheck, decision: Decision, style: MessageStyle = {}) {
  const action = style.action ?? check.action;
  const resource = style.quoteResource ? `"${check.resource}"` : check.resource;
  const on = check.resource === '*' ? '' : ` on resource: ${resource}`;
  const denial = decision.denial as NonNullable<Decision['denial']>;
  const type: Record<PolicyType, [string, string]> = {
    'identity-based': ['an identity-based policy', 'identity-based policy'],
    'resource-based': ['a resource-based policy', 'resource-based policy'],
    'permissions boundary': ['a permissions boundary', 'permissions boundary'],
  };
  const [a, no] = type[denial.policyType];
  const why = denial.explicit
    ? `with an explicit deny in ${a}`
    : `because no ${no} allows the ${action} action`;
  return `User: ${caller.sessionArn} is not authorized to perform: ${action}${on} ${why}`;
}

export class LocalIam {
  private readonly byKey = new Map<string, { principal: Principal; credentials: Credentials }>();

  constructor(
    private readonly policies: TemplatePolicies,
    readonly enabled: boolean,
    private readonly log: (line: string) => void,
  ) {}

  /** aws:CurrentTime and aws:EpochTime: the engine clock (clock.ts), the time the functions see. */
  now: () => number = () => Date.now();

  /** What the runtime says at start about the checks. */
  startLines(): string[] {
    if (!this.enabled)
      return [
        "WARNING: LOCAL_IAM=off: the template's IAM policies are NOT enforced; a missing permission will only show on AWS",
      ];
    const lines = [...this.policies.warnings];
    const keys = new Set<string>();
    for (const role of this.policies.roles.values())
      for (const s of [...role.identity, ...(role.boundary ?? [])])
        for (const key of unknownKeys(s.conditions, KNOWN_KEYS)) keys.add(key);
    for (const key of keys)
      lines.push(`IAM: condition key ${key} is never in a local request: conditions on it see it absent`);
    return lines;
  }

  private principalFor(label: string, roleArn: string | undefined, session: string): Principal {
    const role = roleArn ? this.policies.roles.get(roleArn) : undefined;
    const roleName = role?.name ?? roleArn?.split('/').pop() ?? 'no-role';
    return {
      label,
      caller: { roleArn: roleArn ?? '', sessionArn: assumedRoleArn(roleName, session), account: ACCOUNT },
      ...(role ? { role } : {}),
    };
  }

  /** The credentials Lambda would give the function: its role's session, named after the function. */
  credentialsFor(label: string, functionName: string, roleArn: string | undefined): Credentials {
    const principal = this.principalFor(label, roleArn, functionName);
    const seed = `${functionName}/${roleArn}`;
    const credentials = {
      accessKeyId: `ASIA${shortHash(`key/${seed}`, 16).toUpperCase()}`,
      secretAccessKey: shortHash(`secret/${seed}`, 40),
      sessionToken: Buffer.from(shortHash(`token/${seed}`, 96)).toString('base64'),
    };
    this.byKey.set(credentials.accessKeyId, { principal, credentials });
    return credentials;
  }

  knowsRole(roleArn: string): boolean {
    return this.policies.roles.has(roleArn);
  }

  /** The function a request signed with this key comes from; undefined for the account's own callers. */
  principal(accessKeyId: string | undefined): Principal | undefined {
    return accessKeyId ? this.byKey.get(accessKeyId)?.principal : undefined;
  }

  /** Every access key the functions sign with, and its secret (s3rver checks signatures with them). */
  keyPairs(): [string, string][] {
    return [...this.byKey.values()].map(({ credentials: c }) => [c.accessKeyId, c.secretAccessKey]);
  }

  /** Decides the request's checks in turn; the first that is denied is the answer (and is logged). */
  check(principal: Principal | undefined, checks: AccessCheck[], style: MessageStyle = {}): Verdict {
    if (!this.enabled || !principal) return { allowed: true };
    for (const check of checks) {
      const context: ContextKeys = new Map(check.context ?? []);
      const now = this.now();
      context.set('aws:principalarn', [principal.caller.roleArn]);
      context.set('aws:principalaccount', [ACCOUNT]);
      context.set('aws:principaltype', ['AssumedRole']);
      context.set('aws:requestedregion', [REGION]);
      // TLS is assumed, as every AWS SDK call is made over HTTPS (aws:SecureTransport is out of scope).
      context.set('aws:securetransport', ['true']);
      context.set('aws:currenttime', [new Date(now).toISOString()]);
      context.set('aws:epochtime', [String(Math.floor(now / 1000))]);
      const decision = decide(
        {
          identity: principal.role?.identity ?? [],
          resource: this.resourcePolicy(check.resource),
          ...(principal.role?.boundary ? { boundary: principal.role.boundary } : {}),
        },
        { action: check.action, resource: check.resource, context },
        principal.caller,
      );
      if (decision.allowed) continue;
      this.log(explain(principal, check, decision));
      return { allowed: false, message: deniedText(principal.caller, check, decision, style) };
    }
    return { allowed: true };
  }

  private resourcePolicy(resource: string): Statement[] | undefined {
    const bucket = /^(arn:aws:s3:::[^/]+)/.exec(resource)?.[1];
    return this.policies.resources.get(bucket ?? resource);
  }

  /** EngineOptions.authorize: a state machine's integration acting with the machine's role. */
  readonly authorizeIntegration = (call: IntegrationCall): AccessDecision => {
    const machine = /:(?:stateMachine|execution):([^:]+)/.exec(call.executionArn)?.[1] ?? call.executionArn;
    const session = createHash('sha256').update(call.executionArn).digest('hex').slice(0, 32);
    const principal = this.principalFor(
      `state machine ${machine} (state ${call.stateName})`,
      call.roleArn,
      session,
    );
    return this.check(principal, [{ action: call.action, resource: call.resource }]);
  };
}

function explain(principal: Principal, check: AccessCheck, decision: Decision): string {
  const who = `${principal.label} (role ${principal.role?.name ?? `${principal.caller.roleArn || 'none'}, not in the template`})`;
  const denial = decision.denial as NonNullable<Decision['denial']>;
  const head = `IAM: AccessDenied: ${who} may not ${check.action} on ${check.resource}`;
  if (denial.explicit && denial.statement) {
    const s = denial.statement;
    return `${head}: denied by ${s.policy} ${s.label}: ${JSON.stringify(s.text)}`;
  }
  const needed = JSON.stringify({ Effect: 'Allow', Action: check.action, Resource: check.resource });
  const where =
    denial.policyType === 'permissions boundary'
      ? 'its permissions boundary allows it'
      : `its role has no statement that allows it; it would need ${needed}`;
  return `${head}: ${where} (lib/function-manifest.ts says what each function may do)`;
}
