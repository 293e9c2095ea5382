import { randomBytes, randomInt } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, sendJson } from './http-io';

/**
 * A local Telegram Bot API (HTTPS JSON in production, plain HTTP on 127.0.0.1 here) for sendMessage,
 * editMessageText, answerCallbackQuery and setWebhook. It checks what Telegram checks: the bot token, that the
 * chat exists, the text's length after parsing and its HTML (balanced, allowed tags only), the inline keyboard
 * (callback_data 1–64 bytes, exactly one kind per button). It can press a button: a real Update POSTed to the
 * webhook.
 */

export interface TelegramFakeOptions {
  /** Default: a random token shaped like Telegram's (`<bot id>:<35 characters>`). */
  botToken?: string;
}

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

export interface InlineButton {
  text: string;
  url?: string;
  callback_data?: string;
}

export interface TelegramFakeMessage {
  chatId: number;
  messageId: number;
  /** As sent, with its markup. */
  html: string;
  /** What a person sees: tags removed, entities decoded. */
  text: string;
  parseMode: string | null;
  inlineKeyboard: InlineButton[][] | null;
  disableNotification: boolean;
  date: number;
}

export interface ButtonPress {
  chatId: number;
  messageId: number;
  callbackData: string;
  from: { id: number; username?: string };
}

export interface TelegramFake {
  url: string;
  botToken: string;
  /** Every accepted sendMessage, in order. */
  sent: TelegramFakeMessage[];
  /** Every accepted editMessageText, as the message read after the edit. */
  edits: TelegramFakeMessage[];
  /** Every accepted answerCallbackQuery. */
  callbackAnswers: { callbackQueryId: string; text: string | null }[];
  webhook(): { url: string; secretToken: string | null } | null;
  /** The message as it reads now. */
  message(chatId: number, messageId: number): TelegramFakeMessage | undefined;
  addChat(id: number, options?: { type?: ChatType; username?: string }): void;
  /** Later sends to the chat answer 403, as when a person blocks the bot. */
  blockBot(chatId: number): void;
  /** The next `n` sendMessage calls to the chat answer 429 with `parameters.retry_after`. */
  rateLimit(chatId: number, n: number, retryAfterSeconds: number): void;
  /** Every later request is read and never answered. */
  hang(): void;
  /** POSTs the Update Telegram sends for a press to the webhook (or `target`); resolves with the HTTP status. */
  pressButton(press: ButtonPress, target?: { url: string; secretToken?: string }): Promise<number>;
  close(): Promise<void>;
}

interface FakeChat {
  id: number;
  type: ChatType;
  username?: string;
  blocked: boolean;
  rateLimited: { remaining: number; retryAfterSeconds: number } | null;
}

const MAX_TEXT_CHARS = 4096;
const MAX_CALLBACK_DATA_BYTES = 64;
const MAX_CALLBACK_ANSWER_CHARS = 200;
/** Telegram's HTML mode (https://core.telegram.org/bots/api#html-style). */
const ALLOWED_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 's', 'a', 'code', 'pre', 'tg-spoiler', 'blockquote']);
const BUTTON_KINDS = ['url', 'callback_data', 'web_app', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat', 'switch_inline_query_chosen_chat', 'copy_text', 'callback_game', 'pay'];
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A Bot API refusal: its HTTP status is its error_code. */
class BotApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}
const badRequest = (detail: string) => new BotApiError(400, `Bad Request: ${detail}`);

export async function startTelegramFake(options: TelegramFakeOptions = {}): Promise<TelegramFake> {
  const botToken = options.botToken ?? `${randomInt(100_000_000, 999_999_999)}:${randomBytes(27).toString('base64url').slice(0, 35)}`;
  const botUser = { id: Number(botToken.split(':')[0]) || 1, is_bot: true, first_name: 'Pingback', username: 'pingback_fake_bot' };
  const chats: FakeChat[] = [];
  const messages = new Map<string, TelegramFakeMessage>();
  const openQueries = new Set<string>();
  let webhook: { url: string; secretToken: string | null } | null = null;
  let hanging = false;
  let nextMessageId = 1;
  let nextUpdateId = randomInt(100_000, 900_000);
  const sent: TelegramFakeMessage[] = [];
  const edits: TelegramFakeMessage[] = [];
  const callbackAnswers: TelegramFake['callbackAnswers'] = [];

  const findChat = (chatId: unknown): FakeChat => {
    const wanted = typeof chatId === 'number' || typeof chatId === 'string' ? String(chatId) : '';
    const chat = chats.find((c) => String(c.id) === wanted || (c.username !== undefined && `@${c.username}` === wanted));
    if (!chat) throw badRequest('chat not found');
    return chat;
  };
  const chatOf = (chat: FakeChat) => ({ id: chat.id, type: chat.type, ...(chat.username ? { username: chat.username } : {}) });
  const asApiMessage = (m: TelegramFakeMessage, chat: FakeChat, editDate?: number) => ({
    message_id: m.messageId,
    from: botUser,
    chat: chatOf(chat),
    date: m.date,
    ...(editDate ? { edit_date: editDate } : {}),
    text: m.text,
    ...(m.inlineKeyboard ? { reply_markup: { inline_keyboard: m.inlineKeyboard } } : {}),
  });

  const methods: Record<string, (params: Record<string, unknown>) => unknown> = {
    sendmessage(params) {
      const chat = findChat(params.chat_id);
      if (chat.blocked) throw new BotApiError(403, 'Forbidden: bot was blocked by the user');
      if (chat.rateLimited && chat.rateLimited.remaining > 0) {
        chat.rateLimited.remaining -= 1;
        const seconds = chat.rateLimited.retryAfterSeconds;
        throw new BotApiError(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds });
      }
      const { html, text, parseMode } = checkedText(params);
      const message: TelegramFakeMessage = {
        chatId: chat.id,
        messageId: nextMessageId++,
        html,
        text,
        parseMode,
        inlineKeyboard: checkedKeyboard(params.reply_markup),
        disableNotification: params.disable_notification === true,
        date: Math.floor(Date.now() / 1000),
      };
      messages.set(`${chat.id}:${message.messageId}`, message);
      sent.push({ ...message });
      return asApiMessage(message, chat);
    },

    editmessagetext(params) {
      const chat = findChat(params.chat_id);
      const messageId = Number(params.message_id);
      const current = messages.get(`${chat.id}:${messageId}`);
      if (!Number.isInteger(messageId) || !current) throw badRequest('message to edit not found');
      const { html, text, parseMode } = checkedText(params);
      const inlineKeyboard = checkedKeyboard(params.reply_markup);
      if (current.html === html && JSON.stringify(current.inlineKeyboard) === JSON.stringify(inlineKeyboard)) {
        throw badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
      }
      const edited: TelegramFakeMessage = { ...current, html, text, parseMode, inlineKeyboard };
      messages.set(`${chat.id}:${messageId}`, edited);
      edits.push({ ...edited });
      return asApiMessage(edited, chat, Math.floor(Date.now() / 1000));
    },

    answercallbackquery(params) {
      const id = typeof params.callback_query_id === 'string' ? params.callback_query_id : '';
      if (!openQueries.has(id)) throw badRequest('query is too old and response timeout expired or query ID is invalid');
      const text = typeof params.text === 'string' ? params.text : null;
      if (text !== null && text.length > MAX_CALLBACK_ANSWER_CHARS) throw badRequest('MESSAGE_TOO_LONG');
      openQueries.delete(id);
      callbackAnswers.push({ callbackQueryId: id, text });
      return true;
    },

    // Telegram wants an https URL on port 443, 80, 88 or 8443; a test's receiver is plain http on a free port.
    setwebhook(params) {
      const url = typeof params.url === 'string' ? params.url : '';
      const secret = params.secret_token;
      if (secret !== undefined && (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(secret))) {
        throw badRequest('secret token contains unallowed characters');
      }
      if (url === '') {
        webhook = null;
        return true;
      }
      if (!isHttpUrl(url)) throw badRequest('bad webhook: Failed to resolve host: Name or service not known');
      webhook = { url, secretToken: typeof secret === 'string' ? secret : null };
      return true;
    },
  };

  const server = http.createServer((request, response) => {
    readBody(request).then((bytes) => bytes.toString('utf8')).then(
      (raw) => {
        if (hanging) return;
        answer(request, response, raw);
      },
      () => response.destroy(),
    );
  });

  function answer(request: IncomingMessage, response: ServerResponse, raw: string): void {
    const route = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(request.url ?? '/', 'http://fake').pathname);
    try {
      if (!route) throw new BotApiError(404, 'Not Found');
      if (route[1] !== botToken) throw new BotApiError(401, 'Unauthorized');
      const method = methods[route[2]!.toLowerCase()];
      if (!method) throw new BotApiError(404, 'Not Found');
      const result = method(parseParams(request, raw));
      sendJson(response, 200, { ok: true, result, ...(route[2]!.toLowerCase() === 'setwebhook' ? { description: webhook ? 'Webhook was set' : 'Webhook was deleted' } : {}) });
    } catch (caught) {
      // A bug in the fake answers like Telegram's own trouble, with the cause in view.
      const err = caught instanceof BotApiError ? caught : new BotApiError(500, `Internal Server Error: ${String(caught)}`);
      sendJson(response, err.errorCode, {
        ok: false,
        error_code: err.errorCode,
        description: err.description,
        ...(err.parameters ? { parameters: err.parameters } : {}),
      });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    botToken,
    sent,
    edits,
    callbackAnswers,
    webhook: () => webhook,
    message: (chatId, messageId) => {
      const found = messages.get(`${chatId}:${messageId}`);
      return found && { ...found };
    },
    addChat(id, chatOptions = {}) {
      chats.push({ id, type: chatOptions.type ?? (id < 0 ? 'group' : 'private'), username: chatOptions.username, blocked: false, rateLimited: null });
    },
    blockBot(chatId) {
      findChat(chatId).blocked = true;
    },
    rateLimit(chatId, n, retryAfterSeconds) {
      findChat(chatId).rateLimited = { remaining: n, retryAfterSeconds };
    },
    hang() {
      hanging = true;
    },
    async pressButton(press, target) {
      const destination = target ?? (webhook ? { url: webhook.url, secretToken: webhook.secretToken ?? undefined } : null);
      if (!destination) throw new Error('no webhook: call setWebhook first or pass a target URL');
      const chat = findChat(press.chatId);
      const message = messages.get(`${chat.id}:${press.messageId}`);
      if (!message) throw new Error(`chat ${press.chatId} has no message ${press.messageId}`);
      const hasButton = (message.inlineKeyboard ?? []).some((row) => row.some((button) => button.callback_data === press.callbackData));
      if (!hasButton) throw new Error(`message ${press.messageId} has no button with callback_data "${press.callbackData}"`);
      const callbackQueryId = String(BigInt(`0x${randomBytes(8).toString('hex')}`));
      openQueries.add(callbackQueryId);
      const update = {
        update_id: nextUpdateId++,
        callback_query: {
          id: callbackQueryId,
          from: { id: press.from.id, is_bot: false, first_name: press.from.username ?? 'Someone', ...(press.from.username ? { username: press.from.username } : {}) },
          message: asApiMessage(message, chat),
          chat_instance: String(randomInt(1, 2 ** 47)),
          data: press.callbackData,
        },
      };
      return postToLoopback(destination.url, update, destination.secretToken);
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function checkedText(params: Record<string, unknown>): { html: string; text: string; parseMode: string | null } {
  const html = typeof params.text === 'string' ? params.text : '';
  const parseMode = typeof params.parse_mode === 'string' && params.parse_mode !== '' ? params.parse_mode : null;
  if (parseMode !== null && parseMode !== 'HTML') throw badRequest(`unsupported parse_mode "${parseMode}" (the fake knows HTML)`);
  const text = parseMode === 'HTML' ? textOfHtml(html) : html;
  if (text.trim() === '') throw badRequest('message text is empty');
  if (text.length > MAX_TEXT_CHARS) throw badRequest('message is too long');
  return { html, text, parseMode };
}

/** The text Telegram shows for HTML-mode input, or `can't parse entities` as Telegram words it. */
function textOfHtml(html: string): string {
  const open: string[] = [];
  let text = '';
  let i = 0;
  const offset = (at: number) => Buffer.byteLength(html.slice(0, at), 'utf8');
  while (i < html.length) {
    const char = html[i]!;
    if (char === '&') {
      const entity = /^&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});/.exec(html.slice(i));
      if (entity) {
        text += decodeEntity(entity[1]!);
        i += entity[0].length;
        continue;
      }
      text += char; // an unknown entity is kept as it is written
      i += 1;
      continue;
    }
    if (char !== '<') {
      text += char;
      i += 1;
      continue;
    }
    const end = html.indexOf('>', i);
    if (end === -1) throw badRequest(`can't parse entities: Unclosed start tag at byte offset ${offset(i)}`);
    const inside = html.slice(i + 1, end);
    if (inside.startsWith('/')) {
      const name = inside.slice(1).trim().toLowerCase();
      const expected = open.pop();
      if (expected === undefined) throw badRequest(`can't parse entities: Unexpected end tag at byte offset ${offset(i)}`);
      if (name !== expected) {
        throw badRequest(`can't parse entities: Unmatched end tag at byte offset ${offset(i)}, expected "</${expected}>", found "</${name}>"`);
      }
    } else {
      const name = (/^[A-Za-z][A-Za-z0-9-]*/.exec(inside)?.[0] ?? '').toLowerCase();
      if (!ALLOWED_TAGS.has(name)) throw badRequest(`can't parse entities: Unsupported start tag "${name}" at byte offset ${offset(i)}`);
      if (name === 'a' && !/\shref\s*=/.test(inside)) throw badRequest(`can't parse entities: Tag "a" must have attribute "href" at byte offset ${offset(i)}`);
      open.push(name);
    }
    i = end + 1;
  }
  if (open.length) throw badRequest(`can't parse entities: Can't find end tag corresponding to start tag "${open[open.length - 1]}"`);
  return text;
}

function decodeEntity(name: string): string {
  if (name === 'lt') return '<';
  if (name === 'gt') return '>';
  if (name === 'amp') return '&';
  if (name === 'quot') return '"';
  const code = name.startsWith('#x') ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  return code <= 0x10ffff ? String.fromCodePoint(code) : '';
}

function checkedKeyboard(replyMarkup: unknown): InlineButton[][] | null {
  if (replyMarkup === undefined) return null;
  let markup: unknown = replyMarkup;
  if (typeof markup === 'string') {
    try {
      markup = JSON.parse(markup) as unknown;
    } catch {
      throw badRequest("can't parse reply keyboard markup JSON object");
    }
  }
  const rows = (markup as { inline_keyboard?: unknown } | null)?.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
    throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
  }
  return (rows as unknown[][]).map((row) => row.map(checkedButton));
}

function checkedButton(value: unknown): InlineButton {
  const button = (value ?? {}) as Record<string, unknown>;
  if (typeof button.text !== 'string' || button.text === '') throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  const kinds = BUTTON_KINDS.filter((kind) => button[kind] !== undefined);
  if (kinds.length === 0) throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  if (kinds.length > 1) throw badRequest(`can't parse inline keyboard button: exactly one of ${kinds.join(', ')} must be used`);
  if (kinds[0] === 'callback_data') {
    const data = button.callback_data;
    if (typeof data !== 'string' || data === '' || Buffer.byteLength(data, 'utf8') > MAX_CALLBACK_DATA_BYTES) throw badRequest('BUTTON_DATA_INVALID');
    return { text: button.text, callback_data: data };
  }
  if (kinds[0] === 'url') {
    if (typeof button.url !== 'string' || !isHttpUrl(button.url)) throw badRequest(`inline keyboard button URL '${String(button.url)}' is invalid: Wrong HTTP URL`);
    return { text: button.text, url: button.url };
  }
  return { text: button.text };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Telegram takes parameters as JSON, a urlencoded form or the query string. */
function parseParams(request: IncomingMessage, raw: string): Record<string, unknown> {
  const params: Record<string, unknown> = Object.fromEntries(new URL(request.url ?? '/', 'http://fake').searchParams);
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' && raw !== '') {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('parameters must be a JSON object');
    Object.assign(params, body);
  } else if (type === 'application/x-www-form-urlencoded') {
    Object.assign(params, Object.fromEntries(new URLSearchParams(raw)));
  }
  return params;
}

function postToLoopback(target: string, body: unknown, secretToken: string | undefined): Promise<number> {
  const url = new URL(target);
  if (!LOOPBACK_HOSTS.has(url.hostname) || url.protocol !== 'http:') return Promise.reject(new Error(`the fake only posts to http on loopback, not ${url.origin}`));
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(payload.length),
        ...(secretToken ? { 'x-telegram-bot-api-secret-token': secretToken } : {}),
      },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.end(payload);
  });
}


