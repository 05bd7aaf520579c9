export * from './base'; export { vault } from '../functions/shared/vault';
