export * from './base'; export * as m from './zod';
