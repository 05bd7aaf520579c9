import { findService } from '../../workflows/catalog';
import type { Service, Stage, Step } from '../../workflows/schema';
import { NotFoundError, ValidationError } from '../shared/errors';

// Look-ups in the service catalogue that every use case needs.

export function requireService(serviceId: string): Service {
  const service = findService(serviceId);
  if (!service) throw new NotFoundError(`There is no service '${serviceId}'.`, { serviceId });
  return service;
}

/** For request bodies: an unknown service is a 400 naming the field. */
export function serviceFromInput(serviceId: string, field = 'serviceId'): Service {
  const service = findService(serviceId);
  if (!service) {
    throw new ValidationError(`There is no service '${serviceId}'.`, {
      fields: { [field]: 'Unknown service.' },
    });
  }
  return service;
}

export interface LocatedStep {
  stage: Stage;
  step: Step;
}

export function findStep(service: Service, stepId: string): LocatedStep | undefined {
  for (const stage of service.stages) {
    const step = stage.steps.find((s) => s.id === stepId);
    if (step) return { stage, step };
  }
  return undefined;
}
