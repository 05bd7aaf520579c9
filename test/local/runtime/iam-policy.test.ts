import { describe, expect, it } from 'vitest';
import { deniedText } from '../../../local/runtime/iam';
import { arnLike, type ContextKeys } from '../../../local/runtime/iam-conditions';
import { type Caller, compileDocument, decide, type PolicySet } from '../../../local/runtime/iam-policy';

const caller: Caller = {
  roleArn: 'arn:aws:iam::000000000000:role/fn-role',
  sessionArn: 'arn:aws:sts::000000000000:assumed-role/fn-role/my-function',
  account: '000000000000',
};
const TABLE = 'arn:aws:dynamodb:eu-west-1:000000000000:table/Cases';

const policy = (...statements: Record<string, unknown>[]) => compileDocument({ Statement: statements }, 'P');
const ask = (set: PolicySet, action: string, resource: string, context: ContextKeys = new Map()) =>
  decide(set, { action, resource, context }, caller);

describe('actions and resources', () => {
  it('matches actions case-insensitively with wildcards, and resources as ARNs', () => {
    const identity = policy({
      Effect: 'Allow',
      Action: ['dynamodb:Get*', 'STATES:sendtask?uccess'],
      Resource: [TABLE, '*'],
    });
    expect(ask({ identity }, 'dynamodb:GetItem', TABLE).allowed).toBe(true);
    expect(ask({ identity }, 'states:SendTaskSuccess', '*').allowed).toBe(true);
    expect(ask({ identity }, 'dynamodb:PutItem', TABLE).allowed).toBe(false);
    // `*` in an ARN's resource part crosses colons and slashes; in the region it stays in its segment.
    expect(
      arnLike('arn:aws:states:eu-west-1:000000000000:execution:m:case-1', 'arn:aws:states:*:*:execution:m:*'),
    ).toBe(true);
    expect(arnLike(`${TABLE}/index/byPhone`, `${TABLE}/index/*`)).toBe(true);
    expect(arnLike(`${TABLE}/index/byPhone`, TABLE)).toBe(false);
    expect(arnLike('arn:aws:s3:::b/rounds/1/upload.csv', 'arn:aws:s3:::b/rounds/*/valid.csv')).toBe(false);
  });

  it('grants an index only where the statement names it: the table ARN does not cover its indexes', () => {
    const identity = policy({ Effect: 'Allow', Action: 'dynamodb:Query', Resource: TABLE });
    expect(ask({ identity }, 'dynamodb:Query', TABLE).allowed).toBe(true);
    expect(ask({ identity }, 'dynamodb:Query', `${TABLE}/index/byService`).allowed).toBe(false);
  });

  it('reads NotAction and NotResource as "everything but"', () => {
    const identity = policy(
      { Effect: 'Allow', NotAction: 'dynamodb:Delete*', Resource: TABLE },
      { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::b/secret/*' },
    );
    expect(ask({ identity }, 'dynamodb:PutItem', TABLE).allowed).toBe(true);
    expect(ask({ identity }, 'dynamodb:DeleteItem', TABLE).allowed).toBe(false);
    expect(ask({ identity }, 's3:GetObject', 'arn:aws:s3:::b/open/x').allowed).toBe(true);
    expect(ask({ identity }, 's3:GetObject', 'arn:aws:s3:::b/secret/x').allowed).toBe(false);
  });
});

describe('explicit deny, resource policies, boundaries', () => {
  it('lets an explicit Deny win over any Allow, and says which statement denied', () => {
    const identity = policy(
      { Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' },
      { Sid: 'NoDeletes', Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: TABLE },
    );
    const d = ask({ identity }, 'dynamodb:DeleteItem', TABLE);
    expect(d).toMatchObject({ allowed: false, denial: { explicit: true, policyType: 'identity-based' } });
    expect(d.denial?.statement?.label).toBe('Sid NoDeletes');
    // A bucket policy's Deny to everyone applies to the role as well.
    const resource = policy({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: 'arn:aws:s3:::b/*',
    });
    const s3 = ask(
      { identity: policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }), resource },
      's3:GetObject',
      'arn:aws:s3:::b/k',
    );
    expect(s3.denial).toMatchObject({ explicit: true, policyType: 'resource-based' });
  });

  it('allows through a resource policy that names the role, not through one that names only the account', () => {
    const named = policy({
      Effect: 'Allow',
      Principal: { AWS: caller.roleArn },
      Action: 'sns:Publish',
      Resource: '*',
    });
    const account = policy({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::000000000000:root' },
      Action: 'sns:Publish',
      Resource: '*',
    });
    const service = policy({
      Effect: 'Allow',
      Principal: { Service: 'sms-voice.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: '*',
    });
    const topic = 'arn:aws:sns:eu-west-1:000000000000:t';
    expect(ask({ identity: [], resource: named }, 'sns:Publish', topic).allowed).toBe(true);
    expect(ask({ identity: [], resource: account }, 'sns:Publish', topic).allowed).toBe(false);
    expect(ask({ identity: [], resource: service }, 'sns:Publish', topic).allowed).toBe(false);
  });

  it('needs the permissions boundary to allow too', () => {
    const identity = policy({
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      Resource: TABLE,
    });
    const boundary = policy({ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: '*' });
    expect(ask({ identity, boundary }, 'dynamodb:GetItem', TABLE).allowed).toBe(true);
    expect(ask({ identity, boundary }, 'dynamodb:PutItem', TABLE).denial).toEqual({
      explicit: false,
      policyType: 'permissions boundary',
    });
  });
});

describe('conditions', () => {
  const leading = (...keys: string[]) => new Map([['dynamodb:leadingkeys', keys]]);

  it('holds dynamodb:LeadingKeys with ForAllValues: every partition key the request touches must match', () => {
    const identity = policy({
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
      Resource: TABLE,
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CASE#*'] } },
    });
    expect(ask({ identity }, 'dynamodb:GetItem', TABLE, leading('CASE#1')).allowed).toBe(true);
    expect(ask({ identity }, 'dynamodb:GetItem', TABLE, leading('PHONE#x')).allowed).toBe(false);
    expect(ask({ identity }, 'dynamodb:BatchGetItem', TABLE, leading('CASE#1', 'PHONE#x')).allowed).toBe(
      false,
    );
  });

  it('treats a key absent from the request as AWS does: false, true for negated operators and IfExists', () => {
    const when = (Condition: Record<string, unknown>) =>
      ask(
        { identity: policy({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*', Condition }) },
        's3:ListBucket',
        'arn:aws:s3:::b',
      ).allowed;
    expect(when({ StringEquals: { 's3:prefix': 'rounds/' } })).toBe(false);
    expect(when({ StringNotEquals: { 's3:prefix': 'rounds/' } })).toBe(true);
    expect(when({ StringEqualsIfExists: { 's3:prefix': 'rounds/' } })).toBe(true);
    expect(when({ Null: { 's3:prefix': 'true' } })).toBe(true);
    expect(when({ 'ForAnyValue:StringEquals': { 's3:prefix': 'rounds/' } })).toBe(false);
    expect(when({ 'ForAllValues:StringEquals': { 's3:prefix': 'rounds/' } })).toBe(true);
  });

  it('ORs the values of a key, ANDs keys and operators, and negated operators match none of the values', () => {
    const statement = (Condition: Record<string, unknown>) =>
      policy({ Effect: 'Allow', Action: 'sns:Publish', Resource: '*', Condition });
    const context = new Map([
      ['aws:sourceaccount', ['000000000000']],
      ['aws:sourcearn', ['arn:aws:sms-voice:eu-west-1:000000000000:phone-number/p']],
    ]);
    const topic = 'arn:aws:sns:eu-west-1:000000000000:t';
    const allowed = (Condition: Record<string, unknown>) =>
      ask({ identity: statement(Condition) }, 'sns:Publish', topic, context).allowed;
    expect(allowed({ StringEquals: { 'aws:SourceAccount': ['1', '000000000000'] } })).toBe(true);
    expect(
      allowed({
        StringEquals: { 'aws:SourceAccount': '000000000000' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:*:*:alarm:*' },
      }),
    ).toBe(false);
    expect(allowed({ StringNotEquals: { 'aws:SourceAccount': ['1', '000000000000'] } })).toBe(false);
    expect(allowed({ NumericLessThan: { 'aws:SourceAccount': '5' } })).toBe(true);
  });

  it('refuses an operator IAM does not have', () => {
    expect(() =>
      policy({ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringMaybe: { a: 'b' } } }),
    ).toThrow(/unknown condition operator StringMaybe/);
  });
});

describe('the access denied message', () => {
  it('names the session, the action, the resource and why, in the format AWS uses', () => {
    const none = decide(
      { identity: [] },
      { action: 'dynamodb:PutItem', resource: TABLE, context: new Map() },
      caller,
    );
    expect(deniedText(caller, { action: 'dynamodb:PutItem', resource: TABLE }, none)).toBe(
      `User: ${caller.sessionArn} is not authorized to perform: dynamodb:PutItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:PutItem action`,
    );
    const deny = decide(
      { identity: policy({ Effect: 'Deny', Action: 's3:*', Resource: '*' }) },
      { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context: new Map() },
      caller,
    );
    expect(
      deniedText(caller, { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k' }, deny, {
        quoteResource: true,
      }),
    ).toBe(
      `User: ${caller.sessionArn} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" with an explicit deny in an identity-based policy`,
    );
    // Actions without resource-level permissions are asked on `*`, which the message leaves out.
    const task = decide(
      { identity: [] },
      { action: 'states:SendTaskSuccess', resource: '*', context: new Map() },
      caller,
    );
    expect(deniedText(caller, { action: 'states:SendTaskSuccess', resource: '*' }, task)).toBe(
      `User: ${caller.sessionArn} is not authorized to perform: states:SendTaskSuccess because no identity-based policy allows the states:SendTaskSuccess action`,
    );
  });
});
