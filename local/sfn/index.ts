/** Public surface of the local Step Functions engine. */

export { SfnApiError } from './api/api-errors';
export { ACCOUNT, Engine, type EngineOptions } from './api/engine';
export { createHandler, listen } from './api/server';
export type { ExecutionStatusChange, StatusListener } from './api/status-notices';
export type { ObjectSource } from './integrations/item-reader';
export type { AccessDecision, Authorize, IntegrationCall } from './integrations/task-permissions';
export type { TaskCall, TaskHost, TaskResolver } from './integrations/task-resources';
export type { Json } from './language/json';
export { StatesError } from './language/states-errors';
