import { z } from 'zod';

/** A configuration problem, already phrased as the one line an operator needs to read. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses the environment once. The first problem becomes one line naming the variable, e.g.
 * `config: DATABASE_URL is required`, so a service that cannot start says exactly why.
 */
export function parseConfig<TSchema extends z.ZodType>(schema: TSchema, env: NodeJS.ProcessEnv = process.env): z.infer<TSchema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const variable = issue.path.join('.') || 'environment';
  const missing = issue.code === 'invalid_type' && env[variable] === undefined;
  throw new ConfigError(missing ? `config: ${variable} is required` : `config: ${variable} is invalid: ${issue.message}`);
}
