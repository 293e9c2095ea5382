import { loadLimits, makeSendRequest } from '@pingback/contracts';
import { accountOf } from '../auth/request-context';
import { sendNotification } from '../domain/send-notification';
import type { GatewayDeps } from '../gateway-deps';
import type { RouteFamily } from './route-family';

/** What a test sends: something a person can answer, so the whole loop can be tried from the dashboard. */
const TEST_MESSAGE = makeSendRequest(loadLimits()).parse({
  title: 'Test from Pingback',
  body: 'This channel works. Press OK to try an answer.',
  actions: [{ type: 'button', key: 'ok', label: 'OK' }],
});

/**
 * `POST /api/channels/{id}/test`: a test notification to every destination of the channel, as a send with its token
 * would be (the same rate limit), for a dashboard or script that holds an API key rather than the token.
 */
export function channelTestRoute(routes: RouteFamily, deps: GatewayDeps): void {
  routes.post('/api/channels/:id/test', async (req, res) => {
    const channel = await deps.channels.findOwned(accountOf(req), req.params.id);
    if (!channel) throw routes.foreign('channel');
    await deps.rateLimit('send', channel.id, deps.config.sendRatePerMinute);
    const id = await sendNotification(deps, channel, TEST_MESSAGE, req.traceId);
    res.status(201).json({ ok: true, id });
  });
}
