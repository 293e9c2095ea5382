import { hashCandidates, type Keyring } from '@pingback/security';
import type { AccountRepository } from '../data/account.repository';

export interface ApiKeyDeps {
  accounts: AccountRepository;
  keyring: Keyring;
}

/** The active API key a presented value is, looked up by its HMAC under every configured secret key. */
export function findApiKey(deps: ApiKeyDeps, presented: string): Promise<{ id: string; accountId: string; name: string | null } | null> {
  return deps.accounts.findActiveKey(hashCandidates(deps.keyring, presented));
}
