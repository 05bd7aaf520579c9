export * from './base'; export { httpRoute } from '../functions/shared/http';
