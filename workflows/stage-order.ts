// The order in which a stage's steps open. A step opens when the stage is entered, unless it names
// another step of the stage in `after`: then it opens when that step is submitted. A partner reviews
// what the other proposed only once it exists (the patient accepts a care plan the provider has
// written), and is not invited, reminded or able to answer before.
//
// The rules (workflows/schema.ts) keep the order a set of chains: `after` names an earlier step of
// the same stage, at most one step follows any step, and a step that another follows sends the case
// nowhere (its answer does not reach the Choice after the stage). The compiler runs each chain as one
// Parallel branch (lib/constructs/service-workflow.ts); the budget, the year rule and the waiting
// rule add the chain's steps up.

interface Ordered {
  readonly id: string;
  readonly after?: string;
}

/**
 * The stage's steps as chains, in the order of the definition: each chain starts with a step that opens
 * at the stage entry and goes on with the step that follows it, if any. Steps the rules would refuse
 * (a loop, an unknown or later step) start a chain of their own, so that the rules report them.
 */
export function stageChains<S extends Ordered>(steps: readonly S[]): S[][] {
  // Each step's follower: the first later step that names it (any other one starts a chain of its own).
  const follower = new Map<string, S>();
  steps.forEach((step, i) => {
    const named = step.after;
    if (named !== undefined && steps.slice(0, i).some((s) => s.id === named) && !follower.has(named))
      follower.set(named, step);
  });
  const followers = new Set(follower.values());
  return steps
    .filter((step) => !followers.has(step))
    .map((start) => {
      const chain = [start];
      // A repeated id (which the rules refuse) must not loop.
      for (let next = follower.get(start.id); next && !chain.includes(next); next = follower.get(next.id))
        chain.push(next);
      return chain;
    });
}

/** The first step of the chain `stepId` is in: the one whose visit tells which visit the chain is in. */
export function chainStart<S extends Ordered>(steps: readonly S[], stepId: string): S | undefined {
  return stageChains(steps).find((chain) => chain.some((s) => s.id === stepId))?.[0];
}
