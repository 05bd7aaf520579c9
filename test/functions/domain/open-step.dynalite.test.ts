import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCaseRepository } from '../../../functions/adapters/dynamo-repository';
import { keys } from '../../../functions/adapters/table-keys';
import { openStep } from '../../../functions/domain/open-step';
import type { OpenStepPayload } from '../../../functions/domain/open-step-payload';
import { sha256 } from '../../../functions/domain/pii';
import { findService } from '../../../workflows/catalog';
import { type LocalTable, localDocumentClient, startDynalite } from '../../support/dynalite';
import { MemoryEngine, MemoryNotifier, makeCase, publicUrl, vault } from './sms-fakes';

// The stage event's exactly-once rests on its fixed key: checked against a real DynamoDB API
// (dynalite) with the real repository, the way the branches of a stage and Lambda retries call it.

let table: LocalTable;
let repo: DynamoCaseRepository;
let db: ReturnType<typeof localDocumentClient>;
const notifier = new MemoryNotifier();

beforeAll(async () => {
  table = await startDynalite();
  db = localDocumentClient(table.endpoint);
  repo = new DynamoCaseRepository(db, table.tableName);
  await repo.createCase(makeCase('case-1', { phone: '+31612345678' }), 'link-hash');
});
afterAll(async () => {
  db?.destroy();
  await table?.stop();
});

const stageEnteredAt = '2026-03-02T05:59:59.000Z';
const payload = (over: Partial<OpenStepPayload>): OpenStepPayload => ({
  caseId: 'case-1',
  serviceId: 'waste-collection',
  stageId: 'round',
  stepId: 'present',
  notice: 'invite',
  visit: 1,
  taskToken: 'token-1',
  enteredAt: '2026-03-02T06:00:00.000Z',
  stageEnteredAt,
  ...over,
});

describe('openStep on DynamoDB: the stage event', () => {
  it('is one item however many branches and retries write it, and one per visit', async () => {
    const engine = new MemoryEngine();
    const deps = { repo, engine, retimer: engine, notifier, vault, publicUrl, findService };
    await Promise.all([
      openStep(deps, payload({})),
      openStep(deps, payload({ stepId: 'collect', taskToken: 'token-c' })),
    ]);
    await openStep(deps, payload({})); // the invite delivered again
    const events = async () =>
      (
        await db.send(
          new QueryCommand({
            TableName: table.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
            ExpressionAttributeValues: { ':pk': keys.case('case-1').pk, ':event': 'EVENT#' },
          }),
        )
      ).Items ?? [];
    const stage = (await events()).filter((e) => e.type === 'STAGE_ENTERED');
    expect(stage).toEqual([
      {
        ...keys.event('case-1', stageEnteredAt, 'stage-round-1'),
        caseId: 'case-1',
        at: stageEnteredAt,
        type: 'STAGE_ENTERED',
        actor: 'system',
        detail: { stageId: 'round', visit: 1 },
        ttl: 1_900_000_000,
      },
    ]);
    // One item per step, the citizen's holding its SMS's event: the invite delivered again finds it
    // written, and neither texts nor writes again.
    const opened = (await events()).filter((e) => e.type === 'STEP_OPENED');
    expect(opened.map((e) => [e.stepId, e.followedBy?.map((f: { type: string }) => f.type)])).toEqual([
      ['collect', undefined],
      ['present', ['SMS_SENT']],
    ]);
    expect(notifier.sent).toHaveLength(1);
    // Read back, the SMS is an event of its own, after the step event it belongs to.
    expect((await repo.getCaseView('case-1'))?.events.map((e) => `${e.type} ${e.stepId ?? ''}`)).toEqual([
      'CASE_CREATED ',
      'STAGE_ENTERED ',
      'STEP_OPENED collect',
      'STEP_OPENED present',
      'SMS_SENT present',
    ]);

    await openStep(
      deps,
      payload({ visit: 3, taskToken: 'token-3', stageEnteredAt: '2026-03-09T00:00:00.000Z' }),
    );
    expect((await events()).filter((e) => e.type === 'STAGE_ENTERED').map((e) => e.detail)).toEqual([
      { stageId: 'round', visit: 1 },
      { stageId: 'round', visit: 3 },
    ]);
  });
});

describe("openStep on DynamoDB: the citizen's link", () => {
  it('moves its end on when a citizen step opens past what it covers, and only then', async () => {
    const engine = new MemoryEngine();
    const deps = { repo, engine, retimer: engine, notifier, vault, publicUrl, findService, linkTtlDays: 90 };
    const linkHash = (caseId: string) => sha256(vault.linkToken(caseId));
    const early = {
      ...makeCase('case-early', { phone: '+31612345679' }),
      linkExpiresAt: '2026-03-20T00:00:00.000Z',
    };
    await repo.createCase(early, linkHash('case-early'));
    await repo.createCase(makeCase('case-plenty', { phone: '+31612345670' }), linkHash('case-plenty'));
    for (const caseId of ['case-early', 'case-plenty'])
      await openStep(deps, payload({ caseId, taskToken: `token-${caseId}`, stageEnteredAt: undefined }));

    const step = await repo.getStep('case-early', 'present');
    const until = new Date(Date.parse(step?.expiresAt as string) + 90 * 86_400_000).toISOString();
    expect((await repo.getCase('case-early'))?.linkExpiresAt).toBe(until);
    expect(await repo.caseIdForLink(linkHash('case-early'))).toMatchObject({
      caseId: 'case-early',
      expiresAt: until,
    });
    // A link that covers the step and a month after it is left as it is: no write.
    expect((await repo.getCase('case-plenty'))?.linkExpiresAt).toBe('2026-06-01T08:00:00.000Z');
    expect((await repo.caseIdForLink(linkHash('case-plenty')))?.expiresAt).toBe('2026-06-01T08:00:00.000Z');
  });
});
