import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http-io';

const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
const LIMITS = { content: 2000, embeds: 10, title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, author: 256, total: 6000 };
const MENTION_KINDS = new Set(['roles', 'users', 'everyone']);
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

export interface AcceptedDiscordPost {
  webhookId: string;
  payload: Record<string, unknown>;
  /** The id of the message the fake created. */
  messageId: string;
  /** Whether Discord would have pinged @everyone/@here: the content says so and allowed_mentions does not stop it. */
  pingsEveryone: boolean;
}

/** How the next requests are answered instead of normally. */
export type DiscordMisbehaviour =
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'unknown_webhook' }
  | { kind: 'server_error' }
  | { kind: 'hang' };

export interface DiscordFake {
  /** http://127.0.0.1:<port> */
  url: string;
  /** A new webhook the fake accepts: `<url>/api/webhooks/<id>/<token>`. */
  hookUrl(): string;
  /** Every message the fake accepted, in order. */
  posts: AcceptedDiscordPost[];
  /** Each refused request as `<status> <JSON answer>`, for a failing test to show. */
  refusals: string[];
  /** The next `times` requests are answered this way, whatever they carry. */
  misbehave(misbehaviour: DiscordMisbehaviour, times?: number): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  json?: unknown;
  headers?: Record<string, string>;
}

/** One broken rule, at its place in the body (`['embeds', '0', 'title']`). */
interface Problem {
  path: string[];
  code: string;
  message: string;
}

/**
 * A local Discord webhook endpoint (`POST /api/webhooks/<id>/<token>`) that checks what Discord checks: a known
 * webhook and token, a JSON body that is not empty, the content and embed limits and allowed_mentions; it answers
 * with Discord's error JSON, a message object with `?wait=true`, 204 without.
 */
export async function startDiscordFake(): Promise<DiscordFake> {
  const tokens = new Map<string, string>();
  const posts: AcceptedDiscordPost[] = [];
  const refusals: string[] = [];
  const queued: DiscordMisbehaviour[] = [];
  let sequence = 0n;

  const server = http.createServer((request, response) => {
    readBody(request, MAX_BODY_BYTES).then(
      (body) => {
        const outcome = answer(request, body);
        if (outcome === 'hang') return;
        if (outcome.status >= 400) refusals.push(`${outcome.status} ${JSON.stringify(outcome.json)}`);
        if (outcome.json === undefined) {
          response.writeHead(outcome.status, outcome.headers).end();
        } else {
          response.writeHead(outcome.status, { 'content-type': 'application/json', ...outcome.headers }).end(JSON.stringify(outcome.json));
        }
      },
      () => response.writeHead(413, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Request entity too large', code: 40005 })),
    );
  });

  const answer = (request: IncomingMessage, body: Buffer): Answer | 'hang' => {
    const misbehaviour = queued.shift();
    if (misbehaviour?.kind === 'hang') return 'hang';
    if (misbehaviour?.kind === 'rate_limited') {
      const seconds = misbehaviour.retryAfterSeconds;
      return {
        status: 429,
        json: { message: 'You are being rate limited.', retry_after: seconds, global: false },
        headers: { 'retry-after': String(Math.ceil(seconds)), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': String(seconds), 'x-ratelimit-scope': 'user' },
      };
    }
    if (misbehaviour?.kind === 'unknown_webhook') return { status: 404, json: { message: 'Unknown Webhook', code: 10015 } };
    if (misbehaviour?.kind === 'server_error') return { status: 500, json: { message: '500: Internal Server Error', code: 0 } };

    const url = new URL(request.url ?? '/', 'http://fake');
    const match = /^\/api\/webhooks\/(\d+)\/([^/]+)$/.exec(url.pathname);
    if (!match) return { status: 404, json: { message: '404: Not Found', code: 0 } };
    if (request.method !== 'POST') return { status: 405, json: { message: '405: Method Not Allowed', code: 0 } };
    const [, webhookId = '', token] = match;
    if (!tokens.has(webhookId)) return { status: 404, json: { message: 'Unknown Webhook', code: 10015 } };
    if (tokens.get(webhookId) !== token) return { status: 401, json: { message: 'Invalid Webhook Token', code: 50027 } };
    // A body of any other type is not read as JSON: Discord then sees no content at all.
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) return emptyMessage();
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      return { status: 400, json: { message: 'The request body contains invalid JSON.', code: 50109 } };
    }
    if (!isObject(payload)) return { status: 400, json: { message: 'The request body contains invalid JSON.', code: 50109 } };
    const problems = messageProblems(payload);
    if (problems.length > 0) return { status: 400, json: { message: 'Invalid Form Body', code: 50035, errors: nestProblems(problems) } };
    const hasEmbeds = Array.isArray(payload.embeds) && payload.embeds.length > 0;
    if (!(typeof payload.content === 'string' && payload.content.trim() !== '') && !hasEmbeds) return emptyMessage();

    sequence += 1n;
    const messageId = String(((BigInt(Date.now()) - DISCORD_EPOCH_MS) << 22n) | (sequence & 0xfffn));
    const pingsEveryone = pingsEveryoneFor(payload);
    posts.push({ webhookId, payload, messageId, pingsEveryone });
    if (url.searchParams.get('wait') !== 'true') return { status: 204 };
    return {
      status: 200,
      json: {
        id: messageId,
        type: 0,
        content: payload.content ?? '',
        channel_id: '1000000000000000001',
        webhook_id: webhookId,
        author: { id: webhookId, username: 'Pingback', bot: true },
        embeds: payload.embeds ?? [],
        mentions: [],
        mention_roles: [],
        mention_everyone: pingsEveryone,
        timestamp: new Date().toISOString(),
      },
    };
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    hookUrl() {
      const webhookId = String(1_100_000_000_000_000_000n + BigInt(tokens.size));
      const token = randomBytes(48).toString('base64url');
      tokens.set(webhookId, token);
      return `${base}/api/webhooks/${webhookId}/${token}`;
    },
    posts,
    refusals,
    misbehave(misbehaviour, times = 1) {
      for (let i = 0; i < times; i += 1) queued.push(misbehaviour);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function emptyMessage(): Answer {
  return { status: 400, json: { message: 'Cannot send an empty message', code: 50006 } };
}

function messageProblems(payload: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const tooLong = (path: string[], max: number): Problem => ({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  const checkString = (value: unknown, path: string[], max: number, required = false): number => {
    if (value === undefined && !required) return 0;
    if (typeof value !== 'string') {
      problems.push({ path, code: 'BASE_TYPE_STRING', message: 'Could not interpret the value as string.' });
      return 0;
    }
    if (required && value.trim() === '') problems.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    if (value.length > max) problems.push(tooLong(path, max));
    return value.length;
  };

  checkString(payload.content, ['content'], LIMITS.content);
  if (payload.embeds !== undefined) {
    if (!Array.isArray(payload.embeds)) {
      problems.push({ path: ['embeds'], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' });
    } else {
      if (payload.embeds.length > LIMITS.embeds) problems.push(tooLong(['embeds'], LIMITS.embeds));
      let total = 0;
      payload.embeds.forEach((embed: unknown, index) => {
        const at = ['embeds', String(index)];
        if (!isObject(embed)) {
          problems.push({ path: at, code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' });
          return;
        }
        total += checkString(embed.title, [...at, 'title'], LIMITS.title);
        total += checkString(embed.description, [...at, 'description'], LIMITS.description);
        if (embed.url !== undefined && !(typeof embed.url === 'string' && /^https?:\/\/[^\s]+$/.test(embed.url))) {
          problems.push({ path: [...at, 'url'], code: 'URL_TYPE_INVALID_URL', message: 'Not a well formed URL.' });
        }
        if (embed.color !== undefined && !(Number.isInteger(embed.color) && (embed.color as number) >= 0 && (embed.color as number) <= 0xffffff)) {
          problems.push({ path: [...at, 'color'], code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 16777215.' });
        }
        if (embed.footer !== undefined) {
          total += isObject(embed.footer) ? checkString(embed.footer.text, [...at, 'footer', 'text'], LIMITS.footer, true) : 0;
        }
        if (embed.author !== undefined) {
          total += isObject(embed.author) ? checkString(embed.author.name, [...at, 'author', 'name'], LIMITS.author, true) : 0;
        }
        if (embed.fields !== undefined) {
          if (!Array.isArray(embed.fields)) {
            problems.push({ path: [...at, 'fields'], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' });
            return;
          }
          if (embed.fields.length > LIMITS.fields) problems.push(tooLong([...at, 'fields'], LIMITS.fields));
          embed.fields.forEach((field: unknown, fieldIndex) => {
            const fieldAt = [...at, 'fields', String(fieldIndex)];
            if (!isObject(field)) {
              problems.push({ path: fieldAt, code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' });
              return;
            }
            total += checkString(field.name, [...fieldAt, 'name'], LIMITS.fieldName, true);
            total += checkString(field.value, [...fieldAt, 'value'], LIMITS.fieldValue, true);
            if (field.inline !== undefined && typeof field.inline !== 'boolean') {
              problems.push({ path: [...fieldAt, 'inline'], code: 'BASE_TYPE_BOOLEAN', message: 'Must be either true or false.' });
            }
          });
        }
      });
      if (total > LIMITS.total) problems.push({ path: ['embeds'], code: 'MAX_EMBED_SIZE_EXCEEDED', message: `Embed size exceeds maximum size of ${LIMITS.total}` });
    }
  }
  if (payload.allowed_mentions !== undefined) {
    const mentions = payload.allowed_mentions;
    const parse = isObject(mentions) ? mentions.parse : undefined;
    if (!isObject(mentions) || (parse !== undefined && !(Array.isArray(parse) && parse.every((kind) => MENTION_KINDS.has(kind as string))))) {
      problems.push({ path: ['allowed_mentions', 'parse'], code: 'ENUM_TYPE_COERCE', message: 'Value must be one of {"roles", "users", "everyone"}.' });
    }
  }
  return problems;
}

/** Discord's `errors` object: the problems nested by their path, each place holding `_errors`. */
function nestProblems(problems: Problem[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const { path, code, message } of problems) {
    let node = root;
    for (const key of path) node = (node[key] ??= {}) as Record<string, unknown>;
    ((node._errors ??= []) as unknown[]).push({ code, message });
  }
  return root;
}

/** Without allowed_mentions Discord pings whatever the content mentions; with it, only the kinds it lists. */
function pingsEveryoneFor(payload: Record<string, unknown>): boolean {
  if (typeof payload.content !== 'string' || !/@(everyone|here)\b/.test(payload.content)) return false;
  const mentions = payload.allowed_mentions;
  if (!isObject(mentions)) return true;
  return Array.isArray(mentions.parse) && mentions.parse.includes('everyone');
}


function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
