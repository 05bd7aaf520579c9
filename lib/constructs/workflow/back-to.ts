import { Condition } from 'aws-cdk-lib/aws-stepfunctions';
import type { Stage } from '../../../workflows/schema';

export interface BackToRule {
  readonly targetStage: string;
  readonly condition: Condition;
}

/**
 * The backTo rules of a stage as Choice conditions on the stage result `$.last[i]` (the
 * Submission of step i). IsPresent guards an optional field the actor left empty.
 */
export function backToRules(stage: Stage): BackToRule[] {
  const rules: BackToRule[] = [];
  stage.steps.forEach((step, i) => {
    if (!step.backTo) return;
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
