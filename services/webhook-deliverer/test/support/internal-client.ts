import { createInternalClient, type InternalClient } from '@pingback/http';
import { internalCallCredential, type Keyring } from '@pingback/security';

/** The deliverer's internal routes as the gateway calls them: every reply parsed with its contract. */
export function delivererClient(healthPort: number, keyring: Keyring, timeoutMs = 15_000): InternalClient {
  return createInternalClient(`http://127.0.0.1:${healthPort}`, { credential: internalCallCredential(keyring), timeoutMs });
}
