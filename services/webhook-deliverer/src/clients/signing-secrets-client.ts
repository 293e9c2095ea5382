import { GatewayRoutes, type WebhookSigner } from '@pingback/contracts';
import { AppError, createInternalClient } from '@pingback/http';
import { decryptSecret, type Keyring } from '@pingback/security';
import type { Registry } from 'prom-client';
import { UnknownSignerError } from '../domain/send-attempt';

export type SecretsLookup = (signer: WebhookSigner) => Promise<string[]>;

/**
 * A busy owner is asked again after these pauses before the attempt gives up and waits for its retry tier
 * (a minute for notifications): a brief overload should not delay a POST that much.
 */
const LOOKUP_RETRY_PAUSES_MS = [100, 400];

/**
 * Asks a signer's owner for its current secrets (encrypted on the way): the gateway for channels and rooms, the
 * dispatcher for event endpoints. Both answer `GET /internal/signers/:kind/:id` alike.
 */
export function ownerSecretsLookup(owner: { url: string; service: string }, credential: string, registry?: Registry): SecretsLookup {
  const call = createInternalClient(owner.url, { credential, ...(registry ? { metrics: { registry, target: owner.service } } : {}) });
  const ask = async (signer: WebhookSigner): Promise<string[]> => {
    try {
      const { secrets } = await call(GatewayRoutes.signerSecrets, { params: { kind: signer.kind, id: signer.id } });
      return secrets;
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') throw new UnknownSignerError(`no ${signer.kind} ${signer.id}`);
      throw err;
    }
  };
  return async (signer) => {
    for (const pauseMs of LOOKUP_RETRY_PAUSES_MS) {
      try {
        return await ask(signer);
      } catch (err) {
        if (err instanceof UnknownSignerError) throw err;
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    }
    return ask(signer);
  };
}

/** Decrypts what a lookup returns; a secret that does not decrypt cannot sign, now or later. */
export function decryptingLookup(lookup: SecretsLookup, keyring: Keyring): SecretsLookup {
  return async (signer) => {
    const encrypted = await lookup(signer);
    try {
      return encrypted.map((value) => decryptSecret(keyring, value));
    } catch (err) {
      throw new UnknownSignerError(`the secrets of ${signer.kind} ${signer.id} do not decrypt: ${(err as Error).message}`, { cause: err });
    }
  };
}
