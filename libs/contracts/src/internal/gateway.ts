import { z } from 'zod';
import type { InternalRoute } from './route';

/** A signer's current secrets, encrypted under PINGBACK_SECRET_KEY, current first. */
export const SignerSecrets = z.object({ secrets: z.array(z.string()).min(1) });
export type SignerSecrets = z.infer<typeof SignerSecrets>;

/** ingest-gateway's internal port: what it owns that other services ask about. */
export const GatewayRoutes = {
  signerSecrets: { method: 'GET', pattern: '/internal/signers/:kind/:id', response: SignerSecrets },
} as const satisfies Record<string, InternalRoute<unknown, unknown>>;
