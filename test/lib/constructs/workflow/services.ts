import { parseService, type Service } from '../../../../workflows/schema';
import { sampleService } from '../../fixtures';

/**
 * The sample service with a third stage, `close`, whose citizen step can send the case back to
 * `plan`: a back-jump to a stage other than the first, so a continued execution must be routed.
 */
export function threeStageService(): Service {
  const base = sampleService();
  const [, plan] = base.stages;
  if (!plan) throw new Error('fixture');
  const [propose, agree] = plan.steps;
  if (!propose || !agree) throw new Error('fixture');
  return {
    ...base,
    stages: [
      ...base.stages,
      {
        id: 'close',
        title: { nl: 'Afronden', en: 'Close' },
        steps: [
          { ...propose, id: 'report-back', backTo: undefined },
          { ...agree, id: 'confirm', backTo: { stage: 'plan', when: { field: 'agreed', equals: false } } },
        ],
      },
    ],
  };
}

/**
 * The sample service whose citizen step `agree` opens after the provider's `propose` (workflows/
 * stage-order.ts), with proposals on `propose` so its re-time loop leads on to `agree` too.
 */
export function chainedService(): Service {
  const base = sampleService('chained-request');
  return parseService('chained-request.ts', {
    ...base,
    stages: base.stages.map((stage) =>
      stage.id !== 'plan'
        ? stage
        : {
            ...stage,
            steps: stage.steps.map((step) =>
              step.id === 'agree' ? { ...step, after: 'propose' } : { ...step, proposals: {} },
            ),
          },
    ),
  });
}
