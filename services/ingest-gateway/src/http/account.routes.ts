import type { Response } from 'express';
import { accountOf } from '../auth/request-context';
import { readAccountSigningSecret, rotateAccountSigningSecret, type AccountRotationDeps } from '../domain/account-signing-secret';
import type { RouteFamily } from './route-family';

/** The secret is shown on every read: nothing on the way may keep a copy. */
const noStore = (res: Response) => res.set('Cache-Control', 'no-store');

/**
 * The account's own signing secret (management family): it signs what belongs to no channel, such as approval
 * events. Always the caller's account, so there is no id to guess.
 */
export function accountRoutes(routes: RouteFamily, deps: AccountRotationDeps): void {
  routes.get('/api/account/signing-secret', async (req, res) => {
    noStore(res).json(await readAccountSigningSecret(deps, accountOf(req)));
  });

  routes.post('/api/account/rotate-secret', async (req, res) => {
    noStore(res).json(await rotateAccountSigningSecret(deps, accountOf(req)));
  });
}
