import type { WebhookSigner } from '@pingback/contracts';
import { UnknownSignerError } from '../domain/send-attempt';
import type { SecretsLookup } from './signing-secrets-client';

/**
 * Who keeps the secrets of each signer kind, as a lookup: `{ channel: …, room: …, endpoint: … }`
 * (ownerSecretsLookup). A new kind is one more entry. A kind with no entry cannot be signed, now or on a retry.
 */
export type SignerLookups = Readonly<Record<string, SecretsLookup>>;

export function lookupByKind(lookups: SignerLookups): SecretsLookup {
  return (signer: WebhookSigner) => {
    const lookup = Object.hasOwn(lookups, signer.kind) ? lookups[signer.kind] : undefined;
    if (!lookup) return Promise.reject(new UnknownSignerError(`no owner keeps secrets of signer kind "${signer.kind}"`));
    return lookup(signer);
  };
}
