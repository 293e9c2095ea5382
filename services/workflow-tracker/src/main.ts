import { reportStartupFailure } from '@pingback/config';
import { startConnectedService } from '@pingback/runtime';
import { loadConfig } from './config';

const SERVICE = 'workflow-tracker';

/** Connected, healthy and stoppable; stage pings, process hooks and heartbeats arrive in a later issue. */
async function main(): Promise<void> {
  const shutdown = await startConnectedService(SERVICE, loadConfig());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void shutdown(signal).then((code) => process.exit(code)));
  }
}

main().catch((err: unknown) => reportStartupFailure(SERVICE, err));
