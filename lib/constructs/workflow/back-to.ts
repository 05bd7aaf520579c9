import { Condition } from 'aws-cdk-lib/aws-stepfunctions';
import type { Stage } from '../../../workflows/schema';
import { stageChains } from '../../../workflows/stage-order';

export interface BackToRule {
  readonly targetStage: string;
  readonly condition: Condition;
}

/**
 * The backTo rules of a stage as Choice conditions on the stage result `$.last[i]`: the Submission
 * that ended branch i, the last step of the stage's chain i (workflows/stage-order.ts; the rules let
 * only a chain's last step send the case back). IsPresent guards an optional field the actor left empty.
 */
export function backToRules(stage: Stage): BackToRule[] {
  const rules: BackToRule[] = [];
  stageChains(stage.steps).forEach((chain, i) => {
    const step = chain[chain.length - 1];
    if (!step?.backTo) return;
    const { field, equals } = step.backTo.when;
    const path = `$.last[${i}].data.${field}`;
    const equality =
      typeof equals === 'string'
        ? Condition.stringEquals(path, equals)
        : typeof equals === 'boolean'
          ? Condition.booleanEquals(path, equals)
          : Condition.numberEquals(path, equals);
    rules.push({
      targetStage: step.backTo.stage,
      condition: Condition.and(Condition.isPresent(path), equality),
    });
  });
  return rules;
}
