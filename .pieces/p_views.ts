export * from './base'; export { caseDto } from '../functions/domain/views'; export { requireService } from '../functions/domain/definitions'; export { providerOf } from '../functions/domain/access';
