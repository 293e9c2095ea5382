import { INTERNAL_CALL_HEADER } from '@pingback/http';
import { constantTimeEqual, hashCandidates, type Keyring } from '@pingback/security';
import type { Request } from 'express';
import type { AccountRepository } from '../data/account.repository';
import type { DashboardSessionRepository } from '../data/dashboard-session.repository';

export interface ApiKeyDeps {
  accounts: AccountRepository;
  keyring: Keyring;
  dashboardSessions: Pick<DashboardSessionRepository, 'findActive'>;
  now: () => Date;
  /** This process's own internal-call credential: the dashboard calls the API of the process that serves it. */
  internalCallCredential: string;
}

export type FoundKey = { id: string; accountId: string; name: string | null };

/** A dashboard session's token: the dashboard calls the API with it, in its key's name. */
export const SESSION_PREFIX = 'pbs_';

/**
 * The active API key a presented value is, looked up by its HMAC under every configured secret key. A dashboard
 * session's `pbs_` token stands for the key it was signed in with only on the dashboard's own calls (Bearer, with
 * the internal-call credential): a session cookie that leaks opens the dashboard until it ends, never the API, so it
 * cannot mint a lasting API key or outlive its sign-out.
 */
export async function findApiKey(deps: ApiKeyDeps, presented: string, req: Request, source: 'header' | 'elsewhere'): Promise<FoundKey | null> {
  if (!presented.startsWith(SESSION_PREFIX)) return deps.accounts.findActiveKey(hashCandidates(deps.keyring, presented));
  if (source !== 'header' || !constantTimeEqual(req.get(INTERNAL_CALL_HEADER) ?? '', deps.internalCallCredential)) return null;
  const session = await deps.dashboardSessions.findActive(hashCandidates(deps.keyring, presented), deps.now());
  return session ? { id: session.apiKeyId, accountId: session.accountId, name: session.apiKeyName } : null;
}
