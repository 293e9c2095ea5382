import { reportStartupFailure } from '@pingback/config';
import { startConnectedService } from '@pingback/runtime';
import { loadConfig } from './config';

const SERVICE = 'approval-service';

/** Connected, healthy and stoppable; approval requests, decisions and timeouts arrive in a later issue. */
async function main(): Promise<void> {
  const shutdown = await startConnectedService(SERVICE, loadConfig());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void shutdown(signal).then((code) => process.exit(code)));
  }
}

main().catch((err: unknown) => reportStartupFailure(SERVICE, err));
