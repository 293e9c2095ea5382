import type { Stack } from './stack';

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A small fetch wrapper: JSON in, status + headers + parsed JSON (or text) out. */
export async function request<T = Record<string, unknown>>(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<JsonResponse<T>> {
  const hasBody = init.body !== undefined || init.rawBody !== undefined;
  const response = await fetch(url, {
    method: init.method ?? (hasBody ? 'POST' : 'GET'),
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.rawBody ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text (pages)
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

/**
 * As a client does (docs/monitoring.md): a 503 recorded nothing, so it is sent again. Under a loaded
 * machine a gateway with a shortened dependency time-out can answer 503 to a request a test needs.
 */
export async function retryingUnavailable<T extends { status: number }>(send: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const answer = await send();
    if (answer.status !== 503 || attempt === attempts) return answer;
  }
}

export interface ChannelCredentials {
  apiKey: string;
  channelId: string;
  token: string;
  signingSecret: string;
  inboxUrl: string;
}

/** An account with one channel, made through the admin and management APIs as a user would. */
export async function createChannel(stack: Stack, destinations: Record<string, unknown>[] = []): Promise<ChannelCredentials> {
  const account = await request<{ api_key: string }>(`${stack.url}/admin/accounts`, {
    body: { name: 'Test account' },
    headers: { authorization: `Bearer ${stack.adminKey}` },
  });
  if (account.status !== 201) throw new Error(`create account: ${account.status} ${JSON.stringify(account.body)}`);
  const channel = await request<{ id: string; token: string; signing_secret: string; inbox_url: string }>(`${stack.url}/api/channels`, {
    body: { name: 'Test channel', destinations },
    headers: { authorization: `Bearer ${account.body.api_key}` },
  });
  if (channel.status !== 201) throw new Error(`create channel: ${channel.status} ${JSON.stringify(channel.body)}`);
  return {
    apiKey: account.body.api_key,
    channelId: channel.body.id,
    token: channel.body.token,
    signingSecret: channel.body.signing_secret,
    inboxUrl: channel.body.inbox_url,
  };
}

export const DEPLOY_ACTIONS = [
  { type: 'button', label: 'Deploy', key: 'deploy', style: 'primary' },
  { type: 'button', label: 'Cancel', key: 'cancel', style: 'destructive' },
];

export async function send(stack: Stack, token: string, body: Record<string, unknown>): Promise<string> {
  const response = await request<{ ok: boolean; id: string }>(`${stack.url}/v1/send/${token}`, { body });
  if (response.status !== 200) throw new Error(`send: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id;
}

export const poll = (stack: Stack, token: string, messageId: string) =>
  request<{ status: string; result?: Record<string, unknown>; submitted_at?: string }>(`${stack.url}/v1/callback/${token}/${messageId}`);

/** The respond links of a message's deliveries, from GET /api/messages/{id} once the dispatcher has it. */
export async function respondUrls(stack: Stack, apiKey: string, messageId: string, timeoutMs = 15_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await request<{ deliveries?: { respond_url: string }[] }>(`${stack.url}/api/messages/${messageId}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    if (response.status === 200 && response.body.deliveries?.length) return response.body.deliveries.map((d) => d.respond_url);
    if (Date.now() > deadline) throw new Error(`no deliveries for ${messageId}: ${response.status} ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const answer = (url: string, body: unknown) => request(url, { body });

/** The id of the account's message titled `title`, once GET /api/messages lists it (response-store records it just after the send). */
export async function messageIdTitled(stack: Stack, apiKey: string, title: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const listed = await request<{ data?: { id: string; title: string }[] }>(`${stack.url}/api/messages`, { headers: { authorization: `Bearer ${apiKey}` } });
    const found = listed.body.data?.find((message) => message.title === title);
    if (found) return found.id;
    if (Date.now() > deadline) throw new Error(`no message titled "${title}": ${listed.status} ${JSON.stringify(listed.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
