export * from './base'; export { logger } from '../functions/shared/logger';
