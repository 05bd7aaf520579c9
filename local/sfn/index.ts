/**
 * Public surface of the local Step Functions engine. Its folders, each importing only those below it
 * (but for the StartExecution integration, which reports the API's errors as AWS's integration does):
 * - api/: the JSON protocol server and the Engine facade (one file per group of API actions);
 * - scheduler/: what runs when: the start queue, timers, recovery after a restart, status-change
 *   notices; and what an engine is made with (engine-options.ts);
 * - integrations/: task resources (Lambda, DynamoDB, StartExecution), IAM checks, ItemReader;
 * - durability/: the journal, snapshots and the store of executions (in memory or on disk);
 * - interpreter/: one file per state type in states/, retry and catch, transitions; ports.ts holds
 *   every seam to the folders above;
 * - language/: the States Language as written: definitions, JSONPath, intrinsics, choice rules.
 */

export { SfnApiError } from './api/api-errors';
export { ACCOUNT, Engine, type EngineOptions } from './api/engine';
export { createHandler, listen } from './api/server';
export type { ObjectSource } from './integrations/item-reader';
export type { AccessDecision, Authorize, IntegrationCall } from './integrations/task-permissions';
export type { TaskCall, TaskHost, TaskResolver } from './integrations/task-resources';
export type { Json } from './language/json';
export { StatesError } from './language/states-errors';
export type { ExecutionStatusChange, StatusListener } from './scheduler/status-notices';
