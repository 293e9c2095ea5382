import { INTERNAL_CALL_HEADER } from '@pingback/http';
import { hashCandidates, internalCallCheck, type Keyring } from '@pingback/security';
import type { Request } from 'express';
import type { AccountRepository } from '../data/account.repository';
import type { DashboardSessionRepository } from '../data/dashboard-session.repository';

export interface ApiKeyDeps {
  accounts: AccountRepository;
  keyring: Keyring;
  dashboardSessions: Pick<DashboardSessionRepository, 'findActive'>;
  now: () => Date;
}

export type FoundKey = { id: string; accountId: string; name: string | null };

/** A dashboard session's token: the dashboard calls the API with it, in its key's name. */
const SESSION_PREFIX = 'pbs_';

const internalChecks = new WeakMap<Keyring, (value: string | undefined) => boolean>();

/** Whether the request is the dashboard's own call to the API: it carries the internal-call credential. */
function fromDashboard(keyring: Keyring, req: Request): boolean {
  let check = internalChecks.get(keyring);
  if (!check) internalChecks.set(keyring, (check = internalCallCheck(keyring)));
  return check(req.get(INTERNAL_CALL_HEADER));
}

/**
 * The active API key a presented value is, looked up by its HMAC under every configured secret key. A dashboard
 * session's `pbs_` token stands for the key it was signed in with only on the dashboard's own calls (Bearer, with
 * the internal-call credential): a session cookie that leaks opens the dashboard until it ends, never the API, so it
 * cannot mint a lasting API key or outlive its sign-out.
 */
export async function findApiKey(deps: ApiKeyDeps, presented: string, req: Request, source: 'header' | 'elsewhere'): Promise<FoundKey | null> {
  if (!presented.startsWith(SESSION_PREFIX)) return deps.accounts.findActiveKey(hashCandidates(deps.keyring, presented));
  if (source !== 'header' || !fromDashboard(deps.keyring, req)) return null;
  const session = await deps.dashboardSessions.findActive(hashCandidates(deps.keyring, presented), deps.now());
  return session ? { id: session.apiKeyId, accountId: session.accountId, name: session.apiKeyName } : null;
}
