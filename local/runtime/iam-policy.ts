/**
 * IAM policy documents and how AWS decides a request against them within one account,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html:
 * an explicit Deny in any applicable policy wins; otherwise a resource-based policy that names the
 * principal allows; otherwise the permissions boundary (if any) and an identity-based policy must
 * both allow. Anything else is an implicit deny.
 * Statements: Action/NotAction (case-insensitive, `*` and `?`), Resource/NotResource (ARNs matched
 * segment by segment, see iam-conditions.ts), Principal (resource-based policies), Condition.
 */
import {
  arnLike,
  type Condition,
  type ContextKeys,
  compileConditions,
  conditionsHold,
} from './iam-conditions';

export type PolicyType = 'identity-based' | 'resource-based' | 'permissions boundary';

export interface Statement {
  effect: 'Allow' | 'Deny';
  /** Action patterns, or (negate) NotAction patterns. */
  actions: { patterns: RegExp[]; negate: boolean };
  resources: { patterns: string[]; negate: boolean };
  principals?: { patterns: string[]; negate: boolean };
  conditions: Condition[];
  /** The policy it belongs to (the template's logical id, or a managed policy's ARN) and its Sid or index. */
  policy: string;
  label: string;
  /** The statement as written (resolved), for the log. */
  text: unknown;
}

export interface Caller {
  /** The role's ARN (arn:aws:iam::<account>:role/<name>). */
  roleArn: string;
  /** The assumed-role session (arn:aws:sts::<account>:assumed-role/<name>/<session>). */
  sessionArn: string;
  account: string;
}

export interface AccessRequest {
  action: string;
  resource: string;
  context: ContextKeys;
}

export interface Decision {
  allowed: boolean;
  /** Why it was denied: an explicit Deny (with the statement), or no Allow in a policy of this type. */
  denial?: { explicit: boolean; policyType: PolicyType; statement?: Statement };
}

const list = (v: unknown): string[] => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String));
const actionPattern = (p: string) =>
  new RegExp(
    `^${p
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );

function principalPatterns(value: unknown): string[] {
  if (value === '*') return ['*'];
  if (typeof value !== 'object' || value === null) return list(value);
  return Object.entries(value as Record<string, unknown>).flatMap(([kind, v]) =>
    list(v).map((p) => (kind === 'AWS' ? p : `${kind}:${p}`)),
  );
}

/** The statements of a policy document (already resolved to local ARNs). Throws for what IAM would refuse. */
export function compileDocument(document: unknown, policy: string): Statement[] {
  const doc = (document ?? {}) as { Statement?: unknown };
  const raw = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]).filter(Boolean);
  return (raw as Record<string, unknown>[]).map((s, i) => {
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
      throw new Error(`${policy}: statement ${i}: Effect must be Allow or Deny`);
    const negateAction = s.Action === undefined && s.NotAction !== undefined;
    const negateResource = s.Resource === undefined && s.NotResource !== undefined;
    const principal = s.Principal ?? s.NotPrincipal;
    return {
      effect: s.Effect,
      actions: {
        patterns: list(negateAction ? s.NotAction : s.Action).map(actionPattern),
        negate: negateAction,
      },
      resources: { patterns: list(negateResource ? s.NotResource : s.Resource), negate: negateResource },
      ...(principal === undefined
        ? {}
        : { principals: { patterns: principalPatterns(principal), negate: s.Principal === undefined } }),
      conditions: compileConditions(s.Condition),
      policy,
      label: typeof s.Sid === 'string' && s.Sid ? `Sid ${s.Sid}` : `statement ${i + 1}`,
      text: s,
    };
  });
}

const anyOf = (test: (p: string) => boolean, set: { patterns: string[]; negate: boolean }) =>
  set.patterns.some(test) !== set.negate;

export function actionMatches(s: Statement, action: string): boolean {
  return s.actions.patterns.some((p) => p.test(action)) !== s.actions.negate;
}

function principalMatches(s: Statement, caller: Caller, forDeny: boolean): boolean {
  if (!s.principals) return true;
  const own = [caller.roleArn, caller.sessionArn];
  // The account as principal stands for all of its principals: it denies them, but allows only through IAM.
  const account = [caller.account, `arn:aws:iam::${caller.account}:root`];
  return anyOf((p) => p === '*' || own.includes(p) || (forDeny && account.includes(p)), s.principals);
}

function applies(
  s: Statement,
  request: AccessRequest,
  caller: Caller | undefined,
  forDeny: boolean,
): boolean {
  if (!actionMatches(s, request.action)) return false;
  if (s.resources.patterns.length === 0 && !s.principals) return false; // identity statements need a Resource
  if (
    s.resources.patterns.length > 0 &&
    !anyOf((p) => p === '*' || arnLike(request.resource, p), s.resources)
  )
    return false;
  if (s.principals && (!caller || !principalMatches(s, caller, forDeny))) return false;
  return conditionsHold(s.conditions, request.context);
}

export interface PolicySet {
  identity: Statement[];
  /** The resource's own policy (bucket, topic...), if it has one. */
  resource?: Statement[];
  /** The role's permissions boundary, if it has one. */
  boundary?: Statement[];
}

export function decide(policies: PolicySet, request: AccessRequest, caller?: Caller): Decision {
  const kinds: [PolicyType, Statement[] | undefined][] = [
    ['identity-based', policies.identity],
    ['resource-based', policies.resource],
    ['permissions boundary', policies.boundary],
  ];
  for (const [policyType, statements] of kinds) {
    const deny = statements?.find((s) => s.effect === 'Deny' && applies(s, request, caller, true));
    if (deny) return { allowed: false, denial: { explicit: true, policyType, statement: deny } };
  }
  if (allows(policies.resource, request, caller)) return { allowed: true };
  if (policies.boundary && !allows(policies.boundary, request, caller))
    return { allowed: false, denial: { explicit: false, policyType: 'permissions boundary' } };
  if (allows(policies.identity, request, caller)) return { allowed: true };
  return { allowed: false, denial: { explicit: false, policyType: 'identity-based' } };
}

/** Whether a statement of the set allows the request. (Not a closure in decide: tsx names those per call.) */
function allows(statements: Statement[] | undefined, request: AccessRequest, caller?: Caller): boolean {
  return statements?.some((s) => s.effect === 'Allow' && applies(s, request, caller, false)) === true;
}
