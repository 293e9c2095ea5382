import { CommonConfig, parseConfig } from '@pingback/config';
import { z } from 'zod';

export const Config = CommonConfig.omit({ REDIS_URL: true, REDIS_KEY_PREFIX: true, PINGBACK_ALLOW_PRIVATE_TARGETS: true });
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => parseConfig(Config, env);
