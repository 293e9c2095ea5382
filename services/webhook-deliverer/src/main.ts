import { ConfigError } from '@pingback/config';
import { InvalidSecretKeyError } from '@pingback/security';
import { loadConfig } from './config';
import { SERVICE, startDeliverer } from './deliverer';

/** Composition root: configuration, the service, and the signals that stop it. */
async function main(): Promise<void> {
  const deliverer = await startDeliverer({ config: loadConfig() });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void deliverer.shutdown(signal).then((code) => process.exit(code)));
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof InvalidSecretKeyError) {
    process.stderr.write(`${SERVICE}: ${err.message}\n`);
  } else {
    process.stderr.write(`${SERVICE}: failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  }
  process.exit(1);
});
