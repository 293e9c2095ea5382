import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './http-io';

/** Slack refuses a webhook body over this size. */
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_BLOCKS = 50;
const BLOCK_TYPES = new Set(['header', 'section', 'actions', 'divider', 'context']);

export interface AcceptedSlackPost {
  /** `/services/<T>/<B>/<secret>` */
  path: string;
  payload: Record<string, unknown>;
}

/** How the next requests are answered instead of normally. */
export type SlackMisbehaviour =
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'no_service' }
  | { kind: 'server_error' }
  | { kind: 'hang' };

/** What the fake answers; `problem` says for a refusal which rule was broken. */
interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
  problem?: string;
}

export interface SlackFake {
  /** http://127.0.0.1:<port> */
  url: string;
  /** A new incoming webhook the fake accepts: `<url>/services/T…/B…/<secret>`. */
  hookUrl(): string;
  /** Every payload the fake accepted, in order. */
  posts: AcceptedSlackPost[];
  /** Each refused request as `<status> <body>[: <rule broken>]`, for a failing test to show. */
  refusals: string[];
  /** The next `times` requests are answered this way, whatever they carry. */
  misbehave(misbehaviour: SlackMisbehaviour, times?: number): void;
  /** How many requests reached the fake, accepted or not. */
  requestCount(): number;
  close(): Promise<void>;
}

/**
 * A local Slack incoming-webhook endpoint that checks what Slack checks: a known hook, a JSON body with `text` or
 * `blocks`, and the Block Kit shape and limits of every block it is sent (400 `invalid_blocks` otherwise).
 */
export async function startSlackFake(): Promise<SlackFake> {
  const hooks = new Set<string>();
  const posts: AcceptedSlackPost[] = [];
  const refusals: string[] = [];
  const queued: SlackMisbehaviour[] = [];
  let requests = 0;

  const server = http.createServer((request, response) => {
    requests += 1;
    readBody(request, MAX_BODY_BYTES).then(
      (body) => {
        const outcome = answer(request, body);
        if (outcome === 'hang') return;
        if (outcome.status !== 200) refusals.push(`${outcome.status} ${outcome.body}${outcome.problem ? `: ${outcome.problem}` : ''}`);
        response.writeHead(outcome.status, { 'content-type': 'text/html', ...outcome.headers });
        response.end(outcome.body);
      },
      () => response.writeHead(413).end('request_too_large'),
    );
  });

  const answer = (request: IncomingMessage, body: Buffer): Answer | 'hang' => {
    const misbehaviour = queued.shift();
    if (misbehaviour?.kind === 'hang') return 'hang';
    if (misbehaviour?.kind === 'rate_limited') {
      return { status: 429, body: 'rate_limited', headers: { 'retry-after': String(misbehaviour.retryAfterSeconds) } };
    }
    if (misbehaviour?.kind === 'no_service') return { status: 404, body: 'no_service' };
    if (misbehaviour?.kind === 'server_error') return { status: 500, body: 'internal_error' };

    const path = (request.url ?? '').split('?')[0] ?? '';
    if (request.method !== 'POST') return { status: 405, body: 'invalid_method' };
    if (!hooks.has(path)) return { status: 404, body: 'no_service' };
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) return { status: 400, body: 'invalid_payload', problem: 'not JSON' };
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      return { status: 400, body: 'invalid_payload', problem: 'unreadable JSON' };
    }
    if (!isObject(payload)) return { status: 400, body: 'invalid_payload', problem: 'not a JSON object' };
    if (payload.text === undefined && payload.blocks === undefined) return { status: 400, body: 'no_text' };
    if (payload.text !== undefined && (typeof payload.text !== 'string' || payload.text.length === 0)) return { status: 400, body: 'no_text' };
    const problem = payload.blocks === undefined ? undefined : blocksProblem(payload.blocks);
    if (problem) return { status: 400, body: 'invalid_blocks', problem };
    posts.push({ path, payload });
    return { status: 200, body: 'ok' };
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    hookUrl() {
      const path = `/services/T${id(8)}/B${id(10)}/${randomBytes(18).toString('base64url')}`;
      hooks.add(path);
      return `${url}${path}`;
    },
    posts,
    refusals,
    misbehave(misbehaviour, times = 1) {
      for (let i = 0; i < times; i += 1) queued.push(misbehaviour);
    },
    requestCount: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The first Block Kit rule the blocks break, or undefined when Slack would take them. */
function blocksProblem(blocks: unknown): string | undefined {
  if (!Array.isArray(blocks)) return 'blocks must be an array';
  if (blocks.length > MAX_BLOCKS) return `more than ${MAX_BLOCKS} blocks`;
  const actionIds = new Set<string>();
  for (const [index, block] of blocks.entries()) {
    const problem = blockProblem(block, actionIds);
    if (problem) return `blocks[${index}]: ${problem}`;
  }
  return undefined;
}

function blockProblem(block: unknown, actionIds: Set<string>): string | undefined {
  if (!isObject(block) || typeof block.type !== 'string') return 'a block needs a type';
  if (!BLOCK_TYPES.has(block.type)) return `unknown block type ${block.type}`;
  if (block.block_id !== undefined && !(typeof block.block_id === 'string' && block.block_id.length <= 255)) return 'block_id over 255';
  switch (block.type) {
    case 'header':
      return textProblem(block.text, 150, ['plain_text']);
    case 'section':
      if (block.text === undefined && block.fields === undefined) return 'a section needs text or fields';
      if (block.text !== undefined) return textProblem(block.text, 3000, ['plain_text', 'mrkdwn']);
      return undefined;
    case 'actions': {
      if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25) return 'actions need 1 to 25 elements';
      for (const element of block.elements) {
        const problem = buttonProblem(element, actionIds);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'context': {
      if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10) return 'context needs 1 to 10 elements';
      for (const element of block.elements) {
        const problem = textProblem(element, 3000, ['plain_text', 'mrkdwn']);
        if (problem) return problem;
      }
      return undefined;
    }
    default:
      return undefined; // divider
  }
}

function buttonProblem(element: unknown, actionIds: Set<string>): string | undefined {
  if (!isObject(element) || element.type !== 'button') return 'only button elements are expected';
  const labelProblem = textProblem(element.text, 75, ['plain_text']);
  if (labelProblem) return `button ${labelProblem}`;
  if (element.url !== undefined && !(typeof element.url === 'string' && element.url.length <= 3000 && /^https?:\/\//.test(element.url))) {
    return 'button url must be an http(s) URL of at most 3000 characters';
  }
  if (element.action_id !== undefined) {
    if (typeof element.action_id !== 'string' || element.action_id.length === 0 || element.action_id.length > 255) return 'action_id must be 1 to 255 characters';
    if (actionIds.has(element.action_id)) return `duplicate action_id ${element.action_id}`;
    actionIds.add(element.action_id);
  }
  if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') return 'style must be primary or danger';
  if (element.value !== undefined && !(typeof element.value === 'string' && element.value.length <= 2000)) return 'value over 2000';
  return undefined;
}

function textProblem(text: unknown, max: number, types: string[]): string | undefined {
  if (!isObject(text) || typeof text.type !== 'string' || !types.includes(text.type)) return `text must be ${types.join(' or ')}`;
  if (typeof text.text !== 'string' || text.text.length === 0) return 'text must not be empty';
  if (text.text.length > max) return `text over ${max} characters`;
  if (text.emoji !== undefined && (text.type !== 'plain_text' || typeof text.emoji !== 'boolean')) return 'emoji is for plain_text only';
  return undefined;
}


function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function id(length: number): string {
  return randomBytes(length).toString('hex').slice(0, length).toUpperCase();
}
