export * from './base'; export { repository } from '../functions/adapters/repository';
