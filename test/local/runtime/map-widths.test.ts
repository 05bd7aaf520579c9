import { describe, expect, it } from 'vitest';
import { distributedMapWidths, MAP_ENVIRONMENTS_LIMIT } from '../../../local/runtime/map-widths';
import { buildStack, definitions, STACK_NAME } from '../../lib/support';
import { StackView } from '../../lib/template';

const fn = (name: string) => `arn:aws:lambda:eu-west-1:000000000000:function:${name}`;
const invoke = (name: string, end = true) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: fn(name), 'Payload.$': '$' },
  ...(end ? { End: true } : {}),
});
const distributed = (states: Record<string, unknown>, max?: number) => ({
  Type: 'Map',
  ...(max === undefined ? {} : { MaxConcurrency: max }),
  ItemProcessor: {
    ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
    StartAt: Object.keys(states)[0],
    States: states,
  },
  End: true,
});
const machine = (states: Record<string, unknown>) =>
  JSON.stringify({ StartAt: Object.keys(states)[0], States: states });

describe('distributedMapWidths', () => {
  it('gives the function a Distributed Map invokes its MaxConcurrency, and no other function', () => {
    const round = machine({
      Validate: { ...invoke('validate', false), Next: 'Start' },
      Start: distributed({ Batch: invoke('start-cases') }, 10),
    });
    expect(distributedMapWidths([round])).toEqual(new Map([[fn('start-cases'), 10]]));
  });

  it('counts an inline Map as nothing, but a Task under a Parallel inside a Distributed Map', () => {
    const inline = machine({
      Each: {
        Type: 'Map',
        MaxConcurrency: 40,
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'A', States: { A: invoke('inline') } },
        End: true,
      },
    });
    const nested = machine({
      Start: distributed(
        {
          Both: {
            Type: 'Parallel',
            Branches: [{ StartAt: 'B', States: { B: invoke('branch') } }],
            End: true,
          },
        },
        6,
      ),
    });
    expect(distributedMapWidths([inline, nested])).toEqual(new Map([[fn('branch'), 6]]));
  });

  it('bounds MaxConcurrency 0 (AWS: up to 10,000) and a large one, and keeps the widest of two maps', () => {
    const unbounded = machine({ Start: distributed({ Batch: invoke('a') }, 0) });
    const large = machine({ Start: distributed({ Batch: invoke('b') }, 500) });
    const narrow = machine({ Start: distributed({ Batch: invoke('b') }, 3) });
    const direct = machine({
      Start: distributed({ Batch: { Type: 'Task', Resource: fn('c'), End: true } }, 4),
    });
    expect(distributedMapWidths([unbounded, narrow, large, direct])).toEqual(
      new Map([
        [fn('a'), MAP_ENVIRONMENTS_LIMIT],
        [fn('b'), MAP_ENVIRONMENTS_LIMIT],
        [fn('c'), 4],
      ]),
    );
  });

  it('skips a definition that is not JSON', () => {
    expect(
      distributedMapWidths(['{ not json', machine({ Start: distributed({ B: invoke('d') }, 2) })]),
    ).toEqual(new Map([[fn('d'), 2]]));
  });
});

describe('the synthesized stack', () => {
  it("lets round-start-cases have as many environments as the round's Distributed Map runs batches", () => {
    const test = buildStack();
    const machines = definitions(test.template);
    const map = machines.get(`${STACK_NAME}-round`)?.States['Start cases'] as { MaxConcurrency?: number };
    expect(map.MaxConcurrency).toBeGreaterThan(1);
    // resolveFake names a function's ARN after its logical id.
    const startCases = `arn:aws:lambda:eu-west-1:123456789012:function:${new StackView(test).fnId('round-start-cases')}`;
    const asl = [...machines.values()].map((d) => JSON.stringify(d));
    expect(distributedMapWidths(asl)).toEqual(new Map([[startCases, map.MaxConcurrency]]));
  }, 60_000);
});
