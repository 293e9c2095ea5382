import { hashCandidates, type Keyring } from '@pingback/security';
import type { AccountRepository } from '../data/account.repository';
import type { DashboardSessionRepository } from '../data/dashboard-session.repository';

export interface ApiKeyDeps {
  accounts: AccountRepository;
  keyring: Keyring;
  dashboardSessions: Pick<DashboardSessionRepository, 'findActive'>;
  now: () => Date;
}

export type FoundKey = { id: string; accountId: string; name: string | null };

/** A dashboard session's token: the dashboard calls the API with it, in its own name and its key's. */
const SESSION_PREFIX = 'pbs_';

/**
 * The active API key a presented value is, looked up by its HMAC under every configured secret key. A dashboard
 * session's `pbs_` token stands for the key it was signed in with, but only in an Authorization header: it must
 * never travel in a URL or a body, where it could be logged or kept.
 */
export async function findApiKey(deps: ApiKeyDeps, presented: string, source: 'header' | 'elsewhere'): Promise<FoundKey | null> {
  if (!presented.startsWith(SESSION_PREFIX)) return deps.accounts.findActiveKey(hashCandidates(deps.keyring, presented));
  if (source !== 'header') return null;
  const session = await deps.dashboardSessions.findActive(hashCandidates(deps.keyring, presented), deps.now());
  return session ? { id: session.apiKeyId, accountId: session.accountId, name: session.apiKeyName } : null;
}
