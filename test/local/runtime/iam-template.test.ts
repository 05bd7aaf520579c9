import { beforeAll, describe, expect, it } from 'vitest';
import { type AccessCheck, LocalIam, type Principal } from '../../../local/runtime/iam';
import { templatePolicies } from '../../../local/runtime/iam-roles';
import { type ResolveContext, resolve } from '../../../local/runtime/resolve';
import { sfnCheck } from '../../../local/runtime/sfn-gate';
import { smsChecks } from '../../../local/runtime/sms';
import type { CfnTemplate } from '../../../local/runtime/template';
import { buildStack, STACK_NAME } from '../../lib/support';

// The policies of the real stack, as synthesized, decided the way the local runtime decides every call:
// the functions' roles (what lib/function-manifest.ts grants) and the state machines' roles (what the
// engine's integrations may do, EngineOptions.authorize).

let ctx: ResolveContext;
let iam: LocalIam;
const logged: string[] = [];
let template: CfnTemplate;

const arnOf = (id: string) => String(resolve(ctx, { 'Fn::GetAtt': [id, 'Arn'] }));
const idOf = (type: string, test: (id: string, r: { Properties?: Record<string, unknown> }) => boolean) => {
  const found = Object.entries(template.Resources).find(([id, r]) => r.Type === type && test(id, r));
  if (!found) throw new Error(`no ${type}`);
  return found[0];
};
const fnId = (handler: string) =>
  idOf('AWS::Lambda::Function', (_, r) => r.Properties?.Description === `coproduce ${handler}`);

function fn(handler: string): Principal {
  const id = fnId(handler);
  const role = String(resolve(ctx, template.Resources[id]?.Properties?.Role));
  const name = String(resolve(ctx, { Ref: id }));
  const key = iam.credentialsFor(`function ${handler}`, name, role).accessKeyId;
  return iam.principal(key) as Principal;
}

const allowed = (who: Principal, ...checks: AccessCheck[]) => iam.check(who, checks).allowed;

let table: string;
let bucket: string;
const machine = (service: string) =>
  `arn:aws:states:eu-west-1:000000000000:stateMachine:${STACK_NAME}-${service}`;

beforeAll(() => {
  template = buildStack().template.toJSON() as CfnTemplate;
  ctx = {
    template,
    stackName: STACK_NAME,
    apiUrl: 'http://127.0.0.1:3000',
    dynamicReference: () => 'resolved',
  };
  iam = new LocalIam(templatePolicies(ctx), true, (line) => logged.push(line));
  table = arnOf(idOf('AWS::DynamoDB::Table', () => true));
  bucket = arnOf(idOf('AWS::S3::Bucket', (id) => id.startsWith('RoundsBucket')));
}, 120_000);

describe("the functions' roles", () => {
  it('allow what the manifest grants, exactly: get-case reads and appends its processing log record, and may not change an item', () => {
    const getCase = fn('get-case');
    expect(allowed(getCase, { action: 'dynamodb:GetItem', resource: table })).toBe(true);
    expect(allowed(getCase, { action: 'dynamodb:PutItem', resource: table })).toBe(true);
    const put = iam.check(getCase, [{ action: 'dynamodb:UpdateItem', resource: table }]);
    expect(put.allowed).toBe(false);
    expect(!put.allowed && put.message).toMatch(
      new RegExp(
        `^User: arn:aws:sts::000000000000:assumed-role/${STACK_NAME}-Functionsgetcase\\S+/${STACK_NAME}-Functionsgetcase\\S+ is not authorized to perform: dynamodb:UpdateItem on resource: ${table} because no identity-based policy allows the dynamodb:UpdateItem action$`,
      ),
    );
    // The log names the function, the action, the resource and the statement it would need.
    expect(logged.at(-1)).toContain(`function get-case (role ${STACK_NAME}-Functionsgetcase`);
    expect(logged.at(-1)).toContain(`may not dynamodb:UpdateItem on ${table}`);
    expect(logged.at(-1)).toContain(
      `{"Effect":"Allow","Action":"dynamodb:UpdateItem","Resource":"${table}"}`,
    );
  });

  it('allow an index only to the function that queries it', () => {
    expect(allowed(fn('open-step'), { action: 'dynamodb:Query', resource: `${table}/index/byPhone` })).toBe(
      true,
    );
    expect(allowed(fn('open-step'), { action: 'dynamodb:Query', resource: `${table}/index/byService` })).toBe(
      false,
    );
    expect(
      allowed(fn('list-cases'), { action: 'dynamodb:Query', resource: `${table}/index/byService` }),
    ).toBe(true);
    expect(allowed(fn('citizen-page'), { action: 'dynamodb:Scan', resource: table })).toBe(false);
  });

  it('allow the Step Functions calls of each function, on its machines only', () => {
    const start = sfnCheck('StartExecution', { stateMachineArn: machine('waste-collection') });
    expect(allowed(fn('create-case'), start)).toBe(true);
    expect(allowed(fn('start-round'), start)).toBe(false);
    expect(
      allowed(fn('start-round'), sfnCheck('StartExecution', { stateMachineArn: machine('round') })),
    ).toBe(true);
    const execution = `arn:aws:states:eu-west-1:000000000000:execution:${STACK_NAME}-care-plan:c1-2`;
    expect(allowed(fn('redrive-case'), sfnCheck('RedriveExecution', { executionArn: execution }))).toBe(true);
    expect(allowed(fn('cancel-case'), sfnCheck('RedriveExecution', { executionArn: execution }))).toBe(false);
    expect(allowed(fn('submit-step'), sfnCheck('SendTaskSuccess', { taskToken: 't' }))).toBe(true);
    expect(allowed(fn('list-cases'), sfnCheck('SendTaskSuccess', { taskToken: 't' }))).toBe(false);
  });

  it('allow round files by name: create-round signs uploads of upload.csv, not of valid.csv', () => {
    const put = (key: string) => ({ action: 's3:PutObject', resource: `${bucket}/${key}` });
    expect(allowed(fn('create-round'), put('rounds/r1/upload.csv'))).toBe(true);
    expect(allowed(fn('create-round'), put('rounds/r1/valid.csv'))).toBe(false);
    expect(allowed(fn('round-validate'), put('rounds/r1/valid.csv'))).toBe(true);
    expect(allowed(fn('start-round'), { action: 's3:ListBucket', resource: bucket })).toBe(true);
    expect(allowed(fn('round-validate'), { action: 's3:ListBucket', resource: bucket })).toBe(false);
  });

  it('allow SMS and secrets to the functions that send and read them', () => {
    const send = smsChecks({ DestinationPhoneNumber: '+31612345678', MessageBody: 'x' });
    expect(allowed(fn('open-step'), ...send)).toBe(true);
    expect(allowed(fn('submit-step'), ...send)).toBe(false);
    const secret = String(resolve(ctx, { Ref: idOf('AWS::SecretsManager::Secret', () => true) }));
    expect(allowed(fn('get-case'), { action: 'secretsmanager:GetSecretValue', resource: secret })).toBe(true);
    expect(allowed(fn('services'), { action: 'secretsmanager:GetSecretValue', resource: secret })).toBe(
      false,
    );
  });
});

describe("the state machines' roles (the engine's integrations)", () => {
  const roleOf = (service: string) =>
    String(
      resolve(
        ctx,
        template.Resources[idOf('AWS::StepFunctions::StateMachine', (id) => id.startsWith(service))]
          ?.Properties?.RoleArn,
      ),
    );
  const call = (service: string, action: string, resource: string) =>
    iam.authorizeIntegration({
      roleArn: roleOf(service),
      executionArn: `arn:aws:states:eu-west-1:000000000000:execution:${STACK_NAME}-x:case-1`,
      stateName: 'Open',
      action,
      resource,
    });

  it('let a service machine invoke open-step, write the case and continue itself, and nothing else', () => {
    const openStep = arnOf(fnId('open-step'));
    expect(call('Workflowwastecollection', 'lambda:InvokeFunction', openStep)).toEqual({ allowed: true });
    expect(call('Workflowwastecollection', 'lambda:InvokeFunction', `${openStep}:$LATEST`)).toEqual({
      allowed: true,
    });
    expect(call('Workflowwastecollection', 'dynamodb:UpdateItem', table)).toEqual({ allowed: true });
    expect(call('Workflowwastecollection', 'states:StartExecution', machine('waste-collection'))).toEqual({
      allowed: true,
    });
    const other = call('Workflowwastecollection', 'states:StartExecution', machine('care-plan'));
    expect(other.allowed).toBe(false);
    expect(!other.allowed && other.message).toMatch(
      /^User: arn:aws:sts::000000000000:assumed-role\/\S+\/[0-9a-f]{32} is not authorized to perform: states:StartExecution on resource: \S+care-plan because no identity-based policy allows the states:StartExecution action$/,
    );
    expect(logged.at(-1)).toMatch(
      /^IAM: AccessDenied: state machine coproduce-test-x \(state Open\) \(role /,
    );
    expect(call('Workflowwastecollection', 'dynamodb:DeleteItem', table).allowed).toBe(false);
    expect(
      call('Workflowwastecollection', 'lambda:InvokeFunction', arnOf(fnId('round-validate'))).allowed,
    ).toBe(false);
  });

  it('let the round machine invoke its functions and read valid.csv, not the upload', () => {
    expect(call('RoundWorkflow', 'lambda:InvokeFunction', arnOf(fnId('round-start-cases')))).toEqual({
      allowed: true,
    });
    expect(call('RoundWorkflow', 's3:GetObject', `${bucket}/rounds/r1/valid.csv`)).toEqual({ allowed: true });
    expect(call('RoundWorkflow', 's3:GetObject', `${bucket}/rounds/r1/upload.csv`).allowed).toBe(false);
    expect(call('RoundWorkflow', 'states:StartExecution', machine('round'))).toEqual({ allowed: true });
    expect(call('RoundWorkflow', 'lambda:InvokeFunction', arnOf(fnId('open-step'))).allowed).toBe(false);
  });
});
