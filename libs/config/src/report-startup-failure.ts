import { ConfigError } from './load-config';

/** The last word of a service that could not start: one line on stderr, exit code 1. */
export function reportStartupFailure(service: string, err: unknown): never {
  const line = err instanceof ConfigError ? err.message : `failed to start: ${err instanceof Error ? err.stack : String(err)}`;
  process.stderr.write(`${service}: ${line}\n`);
  process.exit(1);
}
