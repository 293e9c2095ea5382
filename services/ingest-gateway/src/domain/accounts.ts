import { generateSecret, hashSecret, newId, type Keyring } from '@pingback/security';
import type { AccountRepository } from '../data/account.repository';

/** An account and its first API key; the key is shown once. */
export async function createAccount(deps: { accounts: AccountRepository; keyring: Keyring }, name: string) {
  const apiKey = generateSecret('pbk_');
  const account = await deps.accounts.createWithKey(
    { id: newId('acc_'), name },
    { id: newId('key_'), keyHash: hashSecret(deps.keyring, apiKey), name: 'first key' },
  );
  return { id: account.id, name: account.name, api_key: apiKey, created_at: account.createdAt.toISOString() };
}

export async function createApiKey(deps: { accounts: AccountRepository; keyring: Keyring }, accountId: string, name: string | null) {
  const apiKey = generateSecret('pbk_');
  const key = await deps.accounts.addKey(accountId, { id: newId('key_'), keyHash: hashSecret(deps.keyring, apiKey), name });
  return { id: key.id, name: key.name, api_key: apiKey, created_at: key.createdAt.toISOString() };
}
