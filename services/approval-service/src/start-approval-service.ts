import { createPostgresCheck } from '@pingback/db';
import type { Logger } from '@pingback/observability';
import { runService, type RunningService } from '@pingback/runtime';
import type { Config } from './config';

export const SERVICE = 'approval-service';

/** Connected, healthy and stoppable; approval requests, decisions and time-outs arrive in a later issue. */
export const startApprovalService = (config: Config, options: { logger?: Logger } = {}): Promise<RunningService> =>
  runService({ name: SERVICE, config, ...options, build: () => ({ database: createPostgresCheck(config.DATABASE_URL) }) });
