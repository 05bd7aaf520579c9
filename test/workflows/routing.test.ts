import { describe, expect, it } from 'vitest';
import { services } from '../../workflows/catalog';
import { ROUTING_TYPES, routingData, routingFields } from '../../workflows/routing';
import { stageChains } from '../../workflows/stage-order';
import { allStates, compileService } from '../lib/constructs/workflow/compile';

// A submission reaches Step Functions as only the values routing reads (SendTaskSuccess output, then
// the Parallel's `$.last`). This checks, on every service's compiled machine, that the machine reads
// nothing else of a submission: a rule on another field would never fire, and free text must never be
// needed in the execution's input or history.

/** Every JSONPath a Choice reads, with the stage whose result it reads. */
function submissionReads(asl: Parameters<typeof allStates>[0]): string[] {
  const paths: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object')
      for (const [key, v] of Object.entries(value)) {
        if (key === 'Variable' && typeof v === 'string' && v.startsWith('$.last')) paths.push(v);
        walk(v);
      }
  };
  for (const [, state] of allStates(asl)) if (state.Type === 'Choice') walk(state.Choices);
  return paths;
}

describe('routing fields', () => {
  it.each(services.map((s) => [s.id, s] as const))(
    '%s: its machine reads only the declared routing fields of a submission',
    (_, service) => {
      const { asl } = compileService(service);
      const reads = submissionReads(asl);
      const allowed = new Set(
        // Branch i of a stage's Parallel ends with the answer of the last step of chain i.
        service.stages.flatMap((stage) =>
          stageChains(stage.steps).flatMap((chain, i) =>
            routingFields(chain[chain.length - 1] ?? {}).map((f) => `$.last[${i}].data.${f}`),
          ),
        ),
      );
      expect(reads.length).toBeGreaterThan(0);
      for (const path of reads) expect(allowed).toContain(path);
      // and they are never free text
      for (const stage of service.stages)
        for (const step of stage.steps)
          for (const id of routingFields(step))
            expect(ROUTING_TYPES).toContain(step.form.fields.find((f) => f.id === id)?.type);
    },
  );

  it('reduces answers to the routing values, leaving an unanswered optional field out', () => {
    const step = { backTo: { stage: 'x', when: { field: 'agrees', equals: false } } };
    expect(routingData(step, { agrees: false, note: 'te weinig uren' })).toEqual({ agrees: false });
    expect(routingData(step, { note: 'x' })).toEqual({});
    expect(routingData({}, { agrees: true })).toEqual({});
  });
});
