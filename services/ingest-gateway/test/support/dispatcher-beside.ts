import type { RunningService } from '@pingback/runtime';
import { loadConfig } from '../../../notification-dispatcher/src/config';
import { startDispatcher } from '../../../notification-dispatcher/src/start-dispatcher';

/**
 * The dispatcher, in this process and this test file's infrastructure: it owns channels' destinations, so every
 * channel view the gateway answers asks it. Returns the environment for the gateway (DISPATCHER_URL set).
 */
export async function startDispatcherBeside(env: Record<string, string>): Promise<{ dispatcher: RunningService; gatewayEnv: Record<string, string> }> {
  const dispatcher = await startDispatcher(loadConfig({ ...env, PINGBACK_PUBLIC_URL: env.PINGBACK_PUBLIC_URL ?? 'http://127.0.0.1:8080' }));
  return { dispatcher, gatewayEnv: { ...env, DISPATCHER_URL: `http://127.0.0.1:${dispatcher.healthPort}` } };
}
