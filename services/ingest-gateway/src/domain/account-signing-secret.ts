import { notFoundError } from '@pingback/contracts';
import { decryptSecret, encryptSecret, generateSecret, type Keyring } from '@pingback/security';
import type { AccountRepository } from '../data/account.repository';
import type { ChangeAnnouncer } from '../messaging/change-announcer';
import type { ChannelSecrets } from './signing-secrets';

/** The signer kind webhook-deliverer asks the gateway about for an account's secret. */
export const ACCOUNT_SIGNER_KIND = 'account';

export interface AccountSecretDeps {
  accounts: Pick<AccountRepository, 'findSigningSecrets' | 'replaceSigningSecret'>;
  keyring: Keyring;
}

export interface AccountRotationDeps extends AccountSecretDeps {
  secretOverlapMs: number;
  now: () => Date;
  /** Tells webhook-deliverers to drop the account's cached secrets. */
  changes: Pick<ChangeAnnouncer, 'signerChanged'>;
}

/**
 * The account's signing secrets, encrypted, made on first need: accounts made before issue 15 have none. Two
 * first uses at once both try a conditional update; one wins and both read back the same secret. Null for an
 * unknown account.
 */
export async function accountSigningSecrets(deps: AccountSecretDeps, accountId: string): Promise<ChannelSecrets | null> {
  const stored = await deps.accounts.findSigningSecrets(accountId);
  if (!stored) return null;
  if (stored.signingSecret) return { ...stored, signingSecret: stored.signingSecret };
  const first = { signingSecret: encryptSecret(deps.keyring, generateSecret('whsec_')), previousSigningSecret: null, previousSecretValidUntil: null };
  if (await deps.accounts.replaceSigningSecret(accountId, null, first)) return first;
  return accountSigningSecrets(deps, accountId);
}

/** The account's current signing secret, as its owner reads it (made if it has none yet). */
export async function readAccountSigningSecret(deps: AccountSecretDeps, accountId: string): Promise<{ signing_secret: string }> {
  const secrets = await accountSigningSecrets(deps, accountId);
  if (!secrets) throw notFoundError('account');
  return { signing_secret: decryptSecret(deps.keyring, secrets.signingSecret) };
}

/**
 * A new secret signs at once; the old one also signs for the overlap (24 h), as a second `v1,` entry, as a
 * channel's rotation does. Of two rotations at once, the loser re-reads and rotates again, so the secret each
 * returns signed when returned and the previous one recorded is the one the other returned.
 */
export async function rotateAccountSigningSecret(deps: AccountRotationDeps, accountId: string): Promise<{ signing_secret: string }> {
  const signingSecret = generateSecret('whsec_');
  const encrypted = encryptSecret(deps.keyring, signingSecret);
  for (;;) {
    const current = await deps.accounts.findSigningSecrets(accountId);
    if (!current) throw notFoundError('account');
    // An account that never had a secret gets its first one: there is no old one to keep signing.
    const previous = current.signingSecret
      ? { previousSigningSecret: current.signingSecret, previousSecretValidUntil: new Date(deps.now().getTime() + deps.secretOverlapMs) }
      : { previousSigningSecret: null, previousSecretValidUntil: null };
    if (await deps.accounts.replaceSigningSecret(accountId, current.signingSecret, { signingSecret: encrypted, ...previous })) {
      await deps.changes.signerChanged({ kind: ACCOUNT_SIGNER_KIND, id: accountId });
      return { signing_secret: signingSecret };
    }
  }
}
