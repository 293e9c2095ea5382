import { createPostgresCheck } from '@pingback/db';
import type { Logger } from '@pingback/observability';
import { runService, type RunningService } from '@pingback/runtime';
import type { Config } from './config';

export const SERVICE = 'workflow-tracker';

/** Connected, healthy and stoppable; stage pings, process hooks and heartbeats arrive in a later issue. */
export const startWorkflowTracker = (config: Config, options: { logger?: Logger } = {}): Promise<RunningService> =>
  runService({ name: SERVICE, config, ...options, build: () => ({ database: createPostgresCheck(config.DATABASE_URL) }) });
