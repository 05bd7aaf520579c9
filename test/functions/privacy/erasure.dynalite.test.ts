import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { keys, TABLE } from '../../../functions/adapters/table-keys';
import { providerOf } from '../../../functions/domain/access';
import { caseCipher } from '../../../functions/domain/case-keys';
import { createCase } from '../../../functions/domain/cases';
import { PiiVault } from '../../../functions/domain/pii';
import { submitStep } from '../../../functions/domain/submit';
import { caseDto } from '../../../functions/domain/views';
import { DynamoCaseEraser } from '../../../functions/privacy/dynamo-erasure';
import { ERASE_CAUSE, eraseCase } from '../../../functions/privacy/erasure';
import { DynamoRoundRepository } from '../../../functions/rounds/dynamo-rounds';
import { statusOf } from '../../../functions/shared/errors';
import { useLocalTable } from '../../support/dynalite';
import { FakeEngine, failure, fixedClock } from '../../support/fakes';
import { roundRecord } from '../../support/round-fakes';
import { testService } from '../../support/service-fixture';
import { staffOf } from '../../support/staff';

vi.mock(
  '../../../workflows/catalog',
  async () => (await import('../../support/service-fixture')).catalogMock,
);

// Erasure against a real DynamoDB API with the real adapters: afterwards nothing personal of the case
// can be read back, from the case, its steps, its events, the phone index or the round, and its data key
// is nowhere in the table; what stays is anonymous (statuses, timings) and the processing log.

const vault = new PiiVault('erasure-test-key-0123456789abcdefghijklmno');
const staff = staffOf(
  providerOf({ 'custom:org': 'gm0363', 'custom:orgKind': 'municipality', sub: 'staff-1' }),
);
const PHONE = '+31687654321';
const clock = fixedClock('2026-03-02T09:00:00.000Z');
let repo: DynamoCaseRepository;
let rounds: DynamoRoundRepository;
const engine = new FakeEngine();

const local = useLocalTable((db, tableName) => {
  repo = new DynamoCaseRepository(db, tableName, clock);
  rounds = new DynamoRoundRepository(db, tableName, clock);
});

const deps = () => ({
  repo,
  log: repo,
  eraser: new DynamoCaseEraser(local.db, local.table.tableName),
  engine,
  rounds,
  clock,
  vault,
  publicUrl: 'https://x.nl',
  linkTtlDays: 90,
  retentionDays: 365,
});

async function partition(caseId: string) {
  const out = await local.db.send(
    new QueryCommand({
      TableName: local.table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.case(caseId).pk },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

/** A round case with contact data, a submitted (sealed) answer and a step open in the phone index. */
async function caseWithEverything(key = 'erase-me') {
  await rounds.createRound(roundRecord({ roundId: 'r1', org: 'gm0363', status: 'STARTING' }));
  const { result } = await createCase(
    deps(),
    staff,
    {
      serviceId: 'waste-collection',
      citizen: { name: 'Anna de Vries', phone: PHONE, email: 'anna@example.nl' },
      reference: 'HH-0042',
    },
    key,
    { roundId: 'r1' },
  );
  const { caseId } = result;
  const open = (stepId: string, actor: 'citizen' | 'provider', phoneHash?: string) =>
    repo.openStep(
      {
        caseId,
        stepId,
        actor,
        visit: 1,
        taskToken: `tok-${stepId}`,
        openedAt: '2026-03-02T09:00:00.000Z',
        dueAt: '2026-03-09T09:00:00.000Z',
        expiresAt: '2026-03-16T09:00:00.000Z',
        ...(phoneHash && { phoneHash, shortCode: 'A1' }),
      },
      'invite',
    );
  await open('confirm-address', 'citizen', vault.hash(PHONE));
  await submitStep(deps(), {
    caseId,
    stepId: 'confirm-address',
    actor: 'citizen',
    channel: 'web',
    data: { correct: 'ja', note: 'achterom' },
  });
  await open('put-out', 'citizen', vault.hash(PHONE));
  return caseId;
}

describe('eraseCase on DynamoDB', () => {
  it('leaves nothing personal to read back, stops the case, and keeps the anonymous rest', async () => {
    const caseId = await caseWithEverything();
    const before = await partition(caseId);
    const head = before.find((item) => item.sk === 'CASE');
    const wrapped = String(head?.dataKey);
    expect(wrapped).toMatch(/^k1\./);
    expect(await repo.openStepsForPhone(vault.hash(PHONE))).toHaveLength(1);

    const erased = await eraseCase(deps(), staff, caseId, 'Verzoek van de burger (AVG art. 17)');
    expect(erased).toMatchObject({
      status: 'CANCELLED',
      erased: { at: '2026-03-02T09:00:00.000Z', by: 'staff-1' },
    });
    expect(engine.stopped).toEqual([
      { serviceId: 'waste-collection', execution: caseId, reason: ERASE_CAUSE },
    ]);

    const after = await partition(caseId);
    const text = JSON.stringify(after);
    // The data key and every sealed value are gone, so is the link to the phone.
    expect(text).not.toContain(wrapped);
    expect(text).not.toMatch(/"v2\./);
    expect(text).not.toContain(vault.hash(PHONE));
    for (const item of after)
      for (const name of ['dataKey', 'dataEnc', 'referenceEnc', 'contextEnc'])
        expect(item).not.toHaveProperty(name);
    expect(await repo.openStepsForPhone(vault.hash(PHONE))).toEqual([]);
    // What was sealed before cannot be opened from what is left.
    const record = await repo.getCase(caseId);
    if (!record) throw new Error('the case went');
    const stepBefore = before.find((item) => item.sk === keys.step(caseId, 'confirm-address').sk);
    expect(caseCipher(vault, record).open(String(stepBefore?.dataEnc))).toBeUndefined();
    expect(
      caseCipher(vault, record).open(String(head?.citizen && (head.citizen as { nameEnc: string }).nameEnc)),
    ).toBeUndefined();

    // The views show that it was erased and nothing personal; timings and statuses stay.
    const view = await repo.getCaseView(caseId);
    if (!view) throw new Error('no view');
    const dto = caseDto(testService, view, 'provider', vault);
    expect(dto.erased).toEqual({ at: '2026-03-02T09:00:00.000Z', by: 'staff-1' });
    expect(dto.citizen).toEqual({ locale: 'nl' });
    expect(dto).not.toHaveProperty('reference');
    expect(dto.steps[0]).toMatchObject({
      status: 'DONE',
      openedAt: expect.any(String),
      submittedAt: expect.any(String),
    });
    expect(dto.steps[0]).not.toHaveProperty('data');
    // The round still counts the case (byRound projects only stage and status).
    const spread = await rounds.roundSpread('r1');
    expect(spread.statuses).toEqual({ CANCELLED: 1 });
    const index = await local.db.send(
      new QueryCommand({
        TableName: local.table.tableName,
        IndexName: TABLE.byRound.name,
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.roundIndex('r1', '').gsi3pk },
      }),
    );
    for (const item of index.Items ?? [])
      for (const name of Object.keys(item))
        expect(['pk', 'sk', 'gsi3pk', 'gsi3sk', 'stage', 'status']).toContain(name);

    // The processing log keeps the creation and the erasure, whose reason stays sealed with the stack key.
    // Both at the fixed clock's one instant, so their order in the log is not defined: compared sorted.
    expect(view.processing?.map((r) => [r.action, r.by]).sort()).toEqual([
      ['create', 'staff-1'],
      ['erase', 'staff-1'],
    ]);
    const erase = view.processing?.find((r) => r.action === 'erase');
    expect(erase?.categories).toEqual(['contact', 'reference', 'answers']);
    expect(vault.decrypt(String(erase?.reasonEnc))).toBe('Verzoek van de burger (AVG art. 17)');
    expect(view.events.map((e) => e.type)).toContain('CASE_ERASED');

    // Nothing anywhere in the table: no name, number, e-mail, reference or answer.
    const all = JSON.stringify(
      (await local.db.send(new ScanCommand({ TableName: local.table.tableName }))).Items,
    );
    for (const clear of ['Anna', '687654321', 'anna@', 'HH-0042', 'achterom'])
      expect(all).not.toContain(clear);
  });

  it('is idempotent: again changes nothing and logs nothing more; a new answer is refused', async () => {
    const caseId = await caseWithEverything('erase-me-twice');
    const first = (await eraseCase(deps(), staff, caseId, 'x')).erased;
    clock.set('2026-03-03T09:00:00.000Z');
    const again = await eraseCase(deps(), staff, caseId, 'again');
    expect(again.erased).toEqual(first);
    const view = await repo.getCaseView(caseId);
    expect(view?.processing?.filter((r) => r.action === 'erase')).toHaveLength(1);
    const refused = await failure(
      submitStep(deps(), {
        caseId,
        stepId: 'put-out',
        actor: 'citizen',
        channel: 'web',
        data: { done: 'ja' },
      }),
    );
    expect([statusOf(refused), refused.code]).toEqual([409, 'CASE_ERASED']);
  });

  it("answers 404 for another organisation's case and erases nothing", async () => {
    const { result } = await createCase(deps(), staff, {
      serviceId: 'waste-collection',
      citizen: { name: 'Bo' },
    });
    const other = staffOf(providerOf({ 'custom:org': 'gm0599', 'custom:orgKind': 'municipality', sub: 's' }));
    expect(statusOf(await failure(eraseCase(deps(), other, result.caseId, 'x')))).toBe(404);
    expect((await repo.getCase(result.caseId))?.dataKey).toMatch(/^k1\./);
  });
});
