import { stopTestContainers } from './test-containers';

/** Stops the containers the global setup started, if it started any. */
export default async function globalTeardown(): Promise<void> {
  await stopTestContainers();
}
