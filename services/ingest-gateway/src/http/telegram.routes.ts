import { decodeCallbackData, ResponseStoreRoutes, TelegramUpdate } from '@pingback/contracts';
import { AppError, jsonBody } from '@pingback/http';
import { constantTimeEqual, signId } from '@pingback/security';
import { refuseCredential } from '../auth/refuse-credential';
import type { GatewayDeps } from '../gateway-deps';
import { pathSecretRouter } from './families';
import type { RouteFamily } from './route-family';

/** The operator's bot, from the environment: its token, the Bot API's base URL, and the secret of its webhook URL. */
export interface TelegramBot {
  token: string;
  apiUrl: string;
  webhookSecret: string;
}

const answers: Record<string, string> = {
  already_responded: 'This was already answered.',
  link_expired: 'This can no longer be answered.',
};

/**
 * `POST /v1/telegram/{secret}`: a button pressed under a Telegram delivery answers the message, exactly as its
 * respond link would (the first answer wins, across every link). The secret in the path, and Telegram's
 * `X-Telegram-Bot-Api-Secret-Token` when sent, must be the operator's. Telegram gets 200 for every update it may
 * stop re-sending; the person gets a short notice on the button.
 */
export function telegramRoutes(deps: GatewayDeps, bot: TelegramBot | undefined): RouteFamily {
  const routes = pathSecretRouter();
  routes.post('/v1/telegram/:secret', jsonBody(64 * 1024), async (req, res) => {
    const header = req.get('x-telegram-bot-api-secret-token');
    if (!bot || !constantTimeEqual(req.params.secret, bot.webhookSecret) || (header !== undefined && !constantTimeEqual(header, bot.webhookSecret))) {
      // A wrong secret is a failed credential: counted per client address like every other (CONTRACT §4).
      return refuseCredential(deps.credentialFailures, routes.name, req, routes.foreign('route'));
    }
    const press = TelegramUpdate.safeParse(req.body).data?.callback_query;
    const button = press ? decodeCallbackData(press.data) : null;
    if (!press || !button) return void res.json({ ok: true });
    const token = signId(deps.keyring, 'respond-link', button.deliveryId);
    let notice = 'Answered.';
    try {
      const link = await deps.responseStore(ResponseStoreRoutes.viewLink, { params: { token }, traceId: req.traceId });
      const action = link.message.actions[button.actionIndex];
      if (action?.type !== 'button') notice = 'This button no longer answers anything.';
      else await deps.responseStore(ResponseStoreRoutes.submitAnswer, { params: { token }, body: { triggered_by: action.key, responses: {} }, traceId: req.traceId });
    } catch (error) {
      // Answered already, expired, or a link that is not ours: Telegram must not re-send the update for it.
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      notice = answers[error.code] ?? 'This button no longer answers anything.';
    }
    await acknowledgePress(bot, press.id, notice);
    res.json({ ok: true });
  });
  return routes;
}

/** Stops the button's spinner with a short notice. Best effort: the answer is recorded whatever Telegram says. */
async function acknowledgePress(bot: TelegramBot, callbackQueryId: string, text: string): Promise<void> {
  try {
    await fetch(new URL(`/bot${bot.token}/answerCallbackQuery`, bot.apiUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ callback_query_id: callbackQueryId, text }),
      signal: AbortSignal.timeout(5_000),
    });
  } catch {
    // The press is answered; only the notice is lost.
  }
}
