import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../../../functions/adapters/table-keys';
import { caseCipher } from '../../../functions/domain/case-keys';
import { PiiVault, sha256 } from '../../../functions/domain/pii';
import { handler } from '../../../functions/handlers/create-case';
import { invoke, staffClaims } from '../../support/http-event';
import { mockSecrets, TEST_PII_KEY } from '../../support/secrets';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/service-fixture')).catalogMock,
);

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
mockSecrets();
const vault = new PiiVault(TEST_PII_KEY);
const machine = JSON.parse(process.env.STATE_MACHINE_ARNS as string)['waste-collection'] as string;

// A tiny table behind the mock, so a replay sees what the first request stored.
let table: Map<string, Record<string, unknown>>;
const id = (k: { pk?: unknown; sk?: unknown }) => `${String(k.pk)}|${String(k.sk)}`;

beforeEach(() => {
  table = new Map();
  ddb.on(PutCommand).callsFake((input: { Item: Record<string, unknown>; ConditionExpression?: string }) => {
    if (input.ConditionExpression === 'attribute_not_exists(pk)' && table.has(id(input.Item))) {
      throw Object.assign(new Error('exists'), { name: 'ConditionalCheckFailedException' });
    }
    table.set(id(input.Item), input.Item);
    return {};
  });
  ddb
    .on(GetCommand)
    .callsFake((input: { Key: { pk: string; sk: string } }) => ({ Item: table.get(id(input.Key)) }));
  sfn.on(StartExecutionCommand).callsFake((input: { name: string }) => ({
    executionArn: `${machine.replace(':stateMachine:', ':execution:')}:${input.name}`,
    startDate: new Date(),
  }));
});
afterEach(() => {
  ddb.reset();
  sfn.reset();
});

const body = {
  serviceId: 'waste-collection',
  citizen: { name: 'Anna de Vries', phone: '06 1234 5678', email: 'anna@example.nl' },
  reference: 'Z-2026-1',
};
const create = (b: unknown = body, over: { claims?: Record<string, string>; key?: string } = {}) =>
  invoke(handler, {
    method: 'POST',
    path: '/cases',
    claims: over.claims ?? staffClaims(),
    ...(over.key && { headers: { 'Idempotency-Key': over.key } }),
    body: b,
  });

describe('POST /cases', () => {
  it('stores the case with sealed contact data and starts the execution named after the case', async () => {
    const res = await create();
    expect(res.statusCode).toBe(201);
    const { caseId, status, citizenLink } = res.json as {
      caseId: string;
      status: string;
      citizenLink: string;
    };
    expect(caseId).toMatch(/^[0-9a-f]{32}$/);
    expect(status).toBe('ACTIVE');
    expect(citizenLink).toBe(`https://coproduce.example.nl/c/${vault.linkToken(caseId)}`);

    const stored = table.get(id(keys.case(caseId)));
    expect(stored).toMatchObject({ org: 'gm0363', serviceId: 'waste-collection' });
    // Sealed with the case's own key, which is stored wrapped by the stack's key.
    const cipher = caseCipher(vault, stored as never);
    expect(stored?.dataKey).toMatch(/^k1\./);
    expect(cipher.open(stored?.referenceEnc as string)).toBe('Z-2026-1');
    const citizen = stored?.citizen as Record<string, string>;
    expect(citizen.phoneHash).toBe(vault.hash('+31612345678'));
    expect(cipher.open(citizen.phoneEnc)).toBe('+31612345678');
    expect(cipher.open(citizen.nameEnc)).toBe('Anna de Vries');
    expect(cipher.open(citizen.emailEnc)).toBe('anna@example.nl');
    expect(citizen.locale).toBe('nl');
    const everything = JSON.stringify([...table.values()]);
    for (const secret of ['612345678', 'Anna', 'anna@', 'Z-2026', vault.linkToken(caseId)])
      expect(everything).not.toContain(secret);
    // The creation is in the case's processing log.
    const logged = [...table.values()].filter((item) => String(item.sk).startsWith('LOG#'));
    expect(logged).toEqual([
      expect.objectContaining({
        caseId,
        action: 'create',
        categories: ['contact', 'reference'],
        by: 'staff-1',
      }),
    ]);
    expect(table.get(id(keys.link(sha256(vault.linkToken(caseId)))))).toMatchObject({ caseId });

    const createdAt = stored?.createdAt as string;
    expect(Date.parse(stored?.linkExpiresAt as string) - Date.parse(createdAt)).toBe(90 * 86_400_000);
    expect(stored?.ttl).toBe(Math.floor(Date.parse(createdAt) / 1000) + 365 * 86_400);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: machine,
      name: caseId,
      input: JSON.stringify({ caseId, serviceId: 'waste-collection', org: 'gm0363', createdAt }),
    });
  });

  it('replays an Idempotency-Key: same case, 200, same response, no second case', async () => {
    const first = await create(body, { key: 'order-42' });
    const again = await create(body, { key: 'order-42' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json).toEqual(first.json);
    expect([...table.keys()].filter((k) => k.endsWith('|CASE'))).toHaveLength(1);
    // Both starts carry the stored input, so Step Functions sees one execution.
    const inputs = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(inputs).toHaveLength(2);
    expect(inputs[1]).toEqual(inputs[0]);
    // Another organisation with the same key gets its own case.
    const other = await create(body, { key: 'order-42', claims: staffClaims({ 'custom:org': 'gm0599' }) });
    expect(other.statusCode).toBe(201);
    expect(other.json?.caseId).not.toBe(first.json?.caseId);
  });

  it('refuses a reused Idempotency-Key with another body (409)', async () => {
    await create(body, { key: 'order-43' });
    const res = await create({ ...body, reference: 'Z-2026-2' }, { key: 'order-43' });
    expect(res.statusCode).toBe(409);
    expect(res.json?.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('names invalid input (400) and starts nothing', async () => {
    const phone = await create({ ...body, citizen: { phone: '12' } });
    expect(phone.statusCode).toBe(400);
    expect(phone.json?.error).toMatchObject({
      details: { fields: { 'body.citizen.phone': expect.stringContaining('not a Dutch mobile number') } },
    });
    const email = await create({ ...body, citizen: { email: 'not-an-address' } });
    expect(email.json?.error).toMatchObject({
      details: { fields: { 'body.citizen.email': expect.any(String) } },
    });
    const service = await create({ ...body, serviceId: 'space-travel' });
    expect(service.json?.error).toMatchObject({ details: { fields: { serviceId: 'Unknown service.' } } });
    const key = await create(body, { key: 'has space' });
    expect(key.json?.error).toMatchObject({
      details: { fields: { 'headers.idempotency-key': expect.any(String) } },
    });
    const extra = await create({ ...body, priority: 'high' });
    expect(extra.statusCode).toBe(400);
    // The context reaches the domain, which checks it against the service's (here: no) context fields.
    const context = await create({ ...body, context: { colour: 'red' } });
    expect(context.json?.error).toMatchObject({
      details: { fields: { 'context.colour': 'This field is not part of the form.' } },
    });
    const notAnObject = await create({ ...body, context: 'Dorpsstraat 1' });
    expect(notAnObject.json?.error).toMatchObject({
      details: { fields: { 'body.context': expect.any(String) } },
    });
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('holds names and references to the input policy: one line, visible characters only', async () => {
    const refused = [
      { citizen: { ...body.citizen, name: 'Anna\u0000' } },
      { citizen: { ...body.citizen, name: 'Anna\u001b[31m' } },
      { citizen: { ...body.citizen, name: 'Anna\u202egnirts' } },
      { citizen: { ...body.citizen, name: 'Anna\u2066x\u2069' } },
      { reference: 'Z-1\r\nZ-2' },
      { reference: 'Z\u200b1' },
      { reference: ' '.repeat(3) },
      { citizen: { ...body.citizen, name: 'A'.repeat(201) } },
    ];
    for (const over of refused) {
      const res = await create({ ...body, ...over });
      expect(res.statusCode, JSON.stringify(over)).toBe(400);
    }
    const named = await create({ ...body, citizen: { ...body.citizen, name: 'Sa\u202enne' } });
    expect(named.json?.error).toMatchObject({
      details: { fields: { 'body.citizen.name': 'use visible characters only' } },
    });
    const lines = await create({ ...body, reference: 'a\nb' });
    expect(lines.json?.error).toMatchObject({
      details: { fields: { 'body.reference': 'contains a line break or control character' } },
    });
    // Names are trimmed; emoji with joiners are text like any other.
    const kept = await create({ ...body, citizen: { ...body.citizen, name: '  Anna 👩\u200d👩\u200d👧  ' } });
    expect(kept.statusCode).toBe(201);
    // One case created: its link, the case, its first event and the processing log's record of it.
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 4);
  });

  it('needs a way to reach the citizen unless the link is handed over in person', async () => {
    const nobody = await create({ ...body, citizen: { name: 'Anna' } });
    expect(nobody.statusCode).toBe(400);
    expect(nobody.json?.error).toMatchObject({
      details: { fields: { 'body.citizen': expect.stringContaining('no way to reach the citizen') } },
    });
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
    const emailOnly = await create({ ...body, citizen: { email: 'anna@example.nl' } });
    expect(emailOnly.statusCode).toBe(201);
    const inPerson = await create({ ...body, citizen: { name: 'Anna' }, handover: 'in-person' });
    expect(inPerson.statusCode).toBe(201);
    const other = await create({ ...body, citizen: { name: 'Anna' }, handover: 'by-pigeon' });
    expect(other.statusCode).toBe(400);
  });

  it('refuses a repeated Idempotency-Key (API Gateway joins repeats with commas) with 400', async () => {
    const res = await create(body, { key: 'k1,k2' });
    expect(res.statusCode).toBe(400);
    expect(res.json?.error).toMatchObject({
      details: { fields: { 'headers.idempotency-key': expect.stringContaining('send this header once') } },
    });
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('requires an organisation (401) of the kind the service is for (403)', async () => {
    expect((await create(body, { claims: {} })).statusCode).toBe(401);
    const school = await create(body, { claims: staffClaims({ 'custom:orgKind': 'school' }) });
    expect(school.statusCode).toBe(403);
    expect((await create(body, { claims: staffClaims({ 'custom:orgKind': 'bank' }) })).statusCode).toBe(403);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });
});
