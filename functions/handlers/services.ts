import { services } from '../../workflows/catalog';
import { request } from '../contract/services';
import { httpRoute, json } from '../shared/http';

// GET /services: the public catalogue. Built once per container; the SMS templates stay internal.

const catalogue = {
  items: services.map((service) => ({
    id: service.id,
    title: service.title,
    summary: service.summary,
    providerKind: service.providerKind,
    /** Case data the provider gives when starting a case, and the extra columns of a round file. */
    context: service.context,
    stages: service.stages.map((stage) => ({
      id: stage.id,
      title: stage.title,
      steps: stage.steps.map((step) => ({
        id: step.id,
        actor: step.actor,
        title: step.title,
        instructions: step.instructions,
        reminders: step.reminders,
        due: step.due,
        expiry: step.expiry,
        // The step opens when this step of the stage is submitted, not at the stage entry.
        ...(step.after !== undefined && { after: step.after }),
        fields: step.form.fields,
      })),
    })),
  })),
};

export const handler = httpRoute(request, async () =>
  json(200, catalogue, { 'cache-control': 'public, max-age=300' }),
);
