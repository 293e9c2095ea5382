import { ALL_SERVICES, startStack, type Stack } from '../support/stack';

/** Short enough for the dashboard's lifetime test to outlive. */
export const DASHBOARD_SESSION_TTL_MS = 15_000;

let started: Promise<Stack> | undefined;

/**
 * One stack of all six services for the clients' suites (CLI, MCP, SDKs, API docs, dashboard): they only call the
 * public API, so they can share it, and each start of six services costs the whole run some 15 s. Each suite makes
 * its own account. Stopped by tests/clients/clients.test.ts.
 */
export function sharedStack(): Promise<Stack> {
  started ??= startStack(
    { PINGBACK_MIN_EXPIRES_IN_SECONDS: '1', PINGBACK_OUTBOX_INTERVAL_MS: '200', PINGBACK_DASHBOARD_SESSION_TTL_MS: String(DASHBOARD_SESSION_TTL_MS) },
    ALL_SERVICES,
  );
  return started;
}
