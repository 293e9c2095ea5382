import type { GatewayDeps } from '../gateway-deps';
import type { RouteFamily } from './route-family';

/** Resolves when the account owns the channel; otherwise the family's answer for someone else's object. */
export async function assertOwnChannel(deps: Pick<GatewayDeps, 'channels'>, routes: Pick<RouteFamily, 'foreign'>, accountId: string, channelId: string): Promise<void> {
  if (!(await deps.channels.findOwned(accountId, channelId))) throw routes.foreign('channel');
}
