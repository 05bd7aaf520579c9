import { describe, expect, it } from 'vitest';
import { services } from '../../workflows/catalog';
import { chainStart, stageChains } from '../../workflows/stage-order';

const ids = (chains: { id: string }[][]) => chains.map((chain) => chain.map((s) => s.id));

describe('stage order', () => {
  it('opens every step at the stage entry when none names another', () => {
    expect(ids(stageChains([{ id: 'a' }, { id: 'b' }, { id: 'c' }]))).toEqual([['a'], ['b'], ['c']]);
  });

  it('chains a step behind the one it opens after, keeping the definition order of the chains', () => {
    const steps = [{ id: 'a' }, { id: 'b' }, { id: 'c', after: 'a' }, { id: 'd', after: 'c' }];
    expect(ids(stageChains(steps))).toEqual([['a', 'c', 'd'], ['b']]);
    expect(chainStart(steps, 'd')?.id).toBe('a');
    expect(chainStart(steps, 'b')?.id).toBe('b');
    expect(chainStart(steps, 'x')).toBeUndefined();
  });

  it('places every step once, also where the rules refuse the order', () => {
    // A later step, an unknown one, a second follower and a repeated id each start a chain of their own.
    const steps = [
      { id: 'a', after: 'b' },
      { id: 'b' },
      { id: 'c', after: 'zz' },
      { id: 'd', after: 'b' },
      { id: 'e', after: 'b' },
      { id: 'b', after: 'd' },
    ];
    const chains = stageChains(steps);
    expect(chains.flat()).toHaveLength(steps.length);
    expect(new Set(chains.flat()).size).toBe(steps.length);
    expect(ids(chains)).toEqual([['a'], ['b', 'd', 'b'], ['c'], ['e']]);
  });

  it('asks the patient and the parent only once the plan and the goals exist', () => {
    const chainsOf = (serviceId: string, stageId: string) =>
      ids(
        stageChains(
          services.find((s) => s.id === serviceId)?.stages.find((s) => s.id === stageId)?.steps ?? [],
        ),
      );
    expect(chainsOf('care-plan', 'agreement')).toEqual([['propose-plan', 'accept-plan']]);
    expect(chainsOf('child-development', 'goals')).toEqual([['propose-goals', 'agree-goals']]);
  });
});
