import { z } from 'zod';
import { readableUtc, type CarriedAction, type DestinationSettings } from '@pingback/contracts';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '@pingback/security';
import type { DestinationAdapter, SendResult, ShownAnswer } from './adapter';
import { createProviderPost, retryAfterRequestError, type ProviderPost, type ProviderResponse } from './provider-post';
import { inlineKeyboard } from './telegram-keyboard';

export interface TelegramAdapterOptions {
  /** The operator's bot token from @BotFather; it is part of every request path, so it is never logged. */
  botToken: string;
  /** Default https://api.telegram.org; tests point it at the fake. */
  apiUrl?: string;
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

type TelegramDestination = DestinationSettings<'telegram'>;

const DEFAULT_API_URL = 'https://api.telegram.org';
const DEFAULT_TIMEOUT_MS = 10_000;
/** Telegram's limit, counted after entity parsing (the text a person sees). */
const MAX_TEXT_CHARS = 4096;
/** A long typed answer is cut so the message keeps room for its own text. */
const MAX_ANSWER_LINE_CHARS = 1000;

/** Every Bot API answer: `{ok, result}` or `{ok:false, error_code, description, parameters}`. */
const BotApiAnswer = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  description: z.string().optional(),
  parameters: z.object({ retry_after: z.number().optional() }).optional(),
});
const SentMessage = z.object({ message_id: z.number(), chat: z.object({ id: z.union([z.number(), z.string()]) }) });

/** What showAnswer needs to label an answer: each action's label, and a select's option labels. */
type AnswerLabels = Record<string, { label: string; options?: Record<string, string> }>;

/** Telegram refused or did not answer an edit or an acknowledgement (showAnswer, answerCallbackQuery). */
export class TelegramApiError extends Error {
  constructor(
    readonly method: string,
    readonly status: number,
    readonly description: string,
  ) {
    super(`Telegram ${method} answered ${status}: ${description}`);
    this.name = 'TelegramApiError';
  }
}

/**
 * Sends to a chat through the operator's bot (Bot API, HTML parse mode). `providerRef` carries the chat and
 * message id and what the message showed (title, body, action labels), since an edit replaces the whole text.
 */
export function createTelegramAdapter(options: TelegramAdapterOptions): DestinationAdapter<TelegramDestination> {
  const client = createProviderPost();
  const call = (method: string, params: Record<string, unknown>) => callBotApi(client, options, method, params);

  return {
    kind: 'telegram',
    recipient: (destination) => destination.chat_id,

    async send(destination, notification) {
      const title = cut(notification.title, MAX_TEXT_CHARS);
      const body = cut(notification.body ?? '', MAX_TEXT_CHARS - title.length - 1);
      const keyboard = inlineKeyboard(notification.deliveryId, notification.actions, notification.respondUrl);
      let response: ProviderResponse;
      try {
        response = await call('sendMessage', {
          chat_id: destination.chat_id,
          text: messageHtml(title, body),
          parse_mode: 'HTML',
          ...(notification.priority === 'low' ? { disable_notification: true } : {}),
          ...(keyboard.length ? { reply_markup: { inline_keyboard: keyboard } } : {}),
        });
      } catch (err) {
        return retryAfterRequestError('Telegram', err);
      }
      const result = sendResult(response);
      if (result.kind !== 'delivered' || !result.message) return result;
      return {
        kind: 'delivered',
        providerRef: {
          chat_id: String(result.message.chat.id),
          message_id: String(result.message.message_id),
          title,
          body,
          answer_labels: JSON.stringify(answerLabels(notification.actions)),
        },
      };
    },

    /** Rejects with TelegramApiError when Telegram refuses the edit, or with a request error when unreachable. */
    async showAnswer(_destination, providerRef, answer) {
      const line = cut(answerLine(providerRef, answer), MAX_ANSWER_LINE_CHARS);
      const title = cut(providerRef.title ?? '', MAX_TEXT_CHARS - line.length - 2);
      const body = cut(providerRef.body ?? '', MAX_TEXT_CHARS - line.length - 2 - title.length - 1);
      // Without reply_markup the edit removes the keyboard: the question is closed.
      const response = await call('editMessageText', {
        chat_id: providerRef.chat_id,
        message_id: Number(providerRef.message_id),
        text: messageHtml(title, body, line),
        parse_mode: 'HTML',
      });
      const answerOfApi = BotApiAnswer.safeParse(response.json);
      const description = answerOfApi.data?.description ?? '';
      // A repeated edit (the answer shown twice) is already done.
      if (answerOfApi.data?.ok || /message is not modified/i.test(description)) return;
      throw new TelegramApiError('editMessageText', response.status, description || 'no description');
    },

    async close() {
      client.close();
    },
  };
}

/**
 * Acknowledges a button press, as Telegram asks within seconds of the press (the gateway calls this when
 * Telegram POSTs the update). Rejects with TelegramApiError when refused, or a request error when unreachable.
 */
export async function answerCallbackQuery(options: TelegramAdapterOptions, callbackQueryId: string, text: string): Promise<void> {
  const client = createProviderPost();
  try {
    const response = await callBotApi(client, options, 'answerCallbackQuery', { callback_query_id: callbackQueryId, text });
    const parsed = BotApiAnswer.safeParse(response.json);
    if (!parsed.data?.ok) throw new TelegramApiError('answerCallbackQuery', response.status, parsed.data?.description ?? 'no description');
  } finally {
    client.close();
  }
}

function callBotApi(client: ProviderPost, options: TelegramAdapterOptions, method: string, params: Record<string, unknown>): Promise<ProviderResponse> {
  const apiUrl = (options.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '');
  return client.post(`${apiUrl}/bot${options.botToken}/${method}`, params, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
}

type SendOutcome = Exclude<SendResult, { kind: 'delivered' }> | { kind: 'delivered'; message?: z.infer<typeof SentMessage> };

function sendResult(response: ProviderResponse): SendOutcome {
  const parsed = BotApiAnswer.safeParse(response.json);
  const description = parsed.data?.description ?? `HTTP ${response.status}`;
  const { status } = response;
  if (status >= 200 && status < 300 && parsed.data?.ok) {
    const message = SentMessage.safeParse(parsed.data.result);
    return { kind: 'delivered', ...(message.success ? { message: message.data } : {}) };
  }
  if (status === 429) {
    const seconds = parsed.data?.parameters?.retry_after;
    const retryAfterMs = seconds === undefined ? parseRetryAfter(response.headers['retry-after']) : Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
    return { kind: 'retry', code: 'RATE_LIMITED', message: `Telegram: ${description}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  if (status === 400) {
    const code = /chat not found/i.test(description) ? 'CHAT_NOT_FOUND' : 'BAD_REQUEST';
    return { kind: 'failed', code, message: `Telegram refused the message: ${description}` };
  }
  if (status === 401) return { kind: 'failed', code: 'AUTH_REJECTED', message: `Telegram refused the bot token: ${description}` };
  if (status === 403) return { kind: 'failed', code: 'BOT_BLOCKED', message: `Telegram: ${description}` };
  if (status >= 400 && status < 500) return { kind: 'failed', code: 'PROVIDER_REJECTED', message: `Telegram answered ${status}: ${description}` };
  if (status >= 500) return { kind: 'retry', code: 'PROVIDER_ERROR', message: `Telegram answered ${status}: ${description}` };
  return { kind: 'retry', code: 'UNEXPECTED_ANSWER', message: `Telegram answered ${status}: ${description}` };
}

/** The title in bold, the body below it, the answer after a blank line; every part escaped for HTML mode. */
function messageHtml(title: string, body: string, answer?: string): string {
  const parts = [title ? `<b>${escapeHtml(title)}</b>` : '', body ? escapeHtml(body) : ''].filter(Boolean).join('\n');
  return answer ? `${parts}${parts ? '\n\n' : ''}${escapeHtml(answer)}` : parts;
}

/** Telegram's HTML mode needs only these three escaped (quotes matter inside attributes, which we never write). */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function answerLabels(actions: readonly CarriedAction[]): AnswerLabels {
  const labels: AnswerLabels = {};
  for (const action of actions) {
    labels[action.key] = {
      label: action.label,
      ...(action.options ? { options: Object.fromEntries(action.options.map((option) => [option.value, option.label])) } : {}),
    };
  }
  return labels;
}

function answerLine(providerRef: Record<string, string>, answer: ShownAnswer): string {
  const labels = parseLabels(providerRef.answer_labels);
  const pressed = labels[answer.triggeredBy]?.label ?? answer.triggeredBy;
  const given = Object.entries(answer.responses).map(([key, value]) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const shown = labels[key]?.options?.[text] ?? text;
    return `${labels[key]?.label ?? key}: ${shown}`;
  });
  return `✅ Answered: ${pressed}${given.length ? ` (${given.join(', ')})` : ''} at ${readableUtc(answer.answeredAt)}`;
}

function parseLabels(json: string | undefined): AnswerLabels {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' ? (value as AnswerLabels) : {};
  } catch {
    return {};
  }
}


/** At most `max` UTF-16 units (Telegram counts them), never splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let kept = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  return `${kept}…`;
}
