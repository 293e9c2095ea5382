import { toPage, type ApiKeyView, type ListQuery } from '@pingback/contracts';
import { generateSecret, hashSecret, newId, type Keyring } from '@pingback/security';
import type { AccountRepository, NewApiKey, RevokeOutcome } from '../data/account.repository';

interface AccountDeps {
  accounts: AccountRepository;
  keyring: Keyring;
}

/** A new API key: the value (shown once) and what is stored of it. */
function newApiKey(keyring: Keyring, name: string | null): { value: string; stored: NewApiKey } {
  const value = generateSecret('pbk_');
  return { value, stored: { id: newId('key_'), keyHash: hashSecret(keyring, value), hint: `pbk_…${value.slice(-4)}`, name } };
}

/** An account and its first API key; the key is shown once. */
export async function createAccount(deps: AccountDeps, name: string) {
  const key = newApiKey(deps.keyring, 'first key');
  const account = await deps.accounts.createWithKey({ id: newId('acc_'), name }, key.stored);
  return { id: account.id, name: account.name, api_key: key.value, created_at: account.createdAt.toISOString() };
}

export async function createApiKey(deps: AccountDeps, accountId: string, name: string | null) {
  const key = newApiKey(deps.keyring, name);
  const created = await deps.accounts.addKey(accountId, key.stored);
  return { id: created.id, name: created.name, api_key: key.value, hint: created.hint, created_at: created.createdAt.toISOString() };
}

/** The account's active keys, oldest first, paged by id; `current` marks the key that asked. */
export async function listApiKeys(deps: AccountDeps, accountId: string, currentKeyId: string | undefined, query: ListQuery) {
  const keys = await deps.accounts.listActiveKeys(accountId, { limit: query.limit + 1, ...(query.cursor ? { after: query.cursor } : {}) });
  return toPage(keys, query.limit, (k): ApiKeyView => ({ id: k.id, name: k.name, hint: k.hint, created_at: k.createdAt.toISOString(), current: k.id === currentKeyId }));
}

/** Revokes a key at once (also the one asking); the account's last active key is kept so it cannot lock itself out. */
export function revokeApiKey(deps: AccountDeps & { now: () => Date }, accountId: string, keyId: string): Promise<RevokeOutcome> {
  return deps.accounts.revokeKey(accountId, keyId, deps.now());
}
