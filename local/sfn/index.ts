/** Public surface of the local Step Functions engine. */
export { ACCOUNT, Engine, type EngineOptions } from './engine';
export { SfnApiError } from './errors';
export type { ExecutionStatusChange, StatusListener } from './notices';
export type { ObjectSource } from './reader';
export { createHandler, listen } from './server';
export type { TaskCall, TaskHost, TaskResolver } from './tasks';
export { type Json, StatesError } from './types';
