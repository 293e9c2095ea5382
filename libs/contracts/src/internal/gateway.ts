import { z } from 'zod';
import type { InternalRoute } from './route';

/** A signer's current secrets, encrypted under PINGBACK_SECRET_KEY, current first. */
export const SignerSecrets = z.object({ secrets: z.array(z.string()).min(1) });
export type SignerSecrets = z.infer<typeof SignerSecrets>;

/** Which of the asked channel ids are the account's (workflow-tracker checks alert channels with it). */
export const OwnedChannels = z.object({ owned: z.array(z.string()) });
export type OwnedChannels = z.infer<typeof OwnedChannels>;

/** ingest-gateway's internal port: what it owns that other services ask about. */
export const GatewayRoutes = {
  signerSecrets: { method: 'GET', pattern: '/internal/signers/:kind/:id', response: SignerSecrets },
  /** `?ids=ch_a,ch_b` (at most 100). */
  ownedChannels: { method: 'GET', pattern: '/internal/accounts/:accountId/channels', response: OwnedChannels },
} as const satisfies Record<string, InternalRoute<unknown, unknown>>;
