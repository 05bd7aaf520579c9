import { describe, expect, it } from 'vitest';
import { handler } from '../../../functions/handlers/services';
import { services } from '../../../workflows/catalog';
import { invoke } from '../../support/http-event';

describe('GET /services', () => {
  it('lists every service of the catalogue with its stages, steps, actors and fields', async () => {
    const res = await invoke(handler, { path: '/services' });
    expect(res.statusCode).toBe(200);
    const items = res.json?.items as {
      id: string;
      providerKind: string;
      context: { id: string }[];
      stages: { steps: { actor: string; fields: unknown[] }[] }[];
    }[];
    expect(items.map((s) => s.id)).toEqual(services.map((s) => s.id));
    for (const [i, item] of items.entries()) {
      const service = services[i];
      expect(item.providerKind).toBe(service?.providerKind);
      expect(item.stages.flatMap((s) => s.steps.map((p) => p.actor))).toEqual(
        service?.stages.flatMap((s) => s.steps.map((p) => p.actor)),
      );
      expect(item.stages[0]?.steps[0]?.fields).toEqual(service?.stages[0]?.steps[0]?.form.fields);
    }
    const waste = items.find((s) => s.id === 'waste-collection');
    expect(waste?.context.map((f) => f.id)).toEqual(['address', 'collectionDate']);
    expect(res.body).not.toContain('"messages"');
  });
});
