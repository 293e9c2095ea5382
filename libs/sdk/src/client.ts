import type { AnswerResult, PollResponse, SendRequest, SendResponse } from '@pingback/contracts';
import type { z } from 'zod';
import { fillPath, SDK_ROUTES, type SdkRoute } from './routes';

export interface PingbackOptions {
  /** Pingback's address, e.g. `http://localhost:8080`. */
  url: string;
  /** The API key (`pbk_…`): approvals, stages, lists. */
  apiKey?: string;
  /** A channel token (`pbt_…`): sending and polling. */
  channelToken?: string;
  /** Another fetch (tests, proxies); the global one by default. */
  fetch?: typeof fetch;
}

/** A request the API refused: its status, stable error code and message, and the whole body. */
export class PingbackApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: unknown,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'PingbackApiError';
  }
}

/** What a send takes, before defaults (seed 000's body). */
export type SendInput = z.input<typeof SendRequest>;

/** How a wait ended: answered (`submitted`, with the answer), or not (`expired`, `already_read`, `failed`, `timed_out`). */
export type WaitOutcome = { status: 'submitted'; result: AnswerResult } | { status: 'expired' | 'already_read' | 'failed' | 'timed_out' };

export interface Approval {
  approval_id: string;
  status: 'pending' | 'approved' | 'denied' | 'expired';
  result: 0 | 1 | null;
  [field: string]: unknown;
}

export interface StagePing {
  status: string;
  workflow_id: string;
  instance_id: string;
  stage_path: string;
  workflow_status: string;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/** Pingback's API, typed with the contracts the server validates with. */
export class Pingback {
  private readonly url: string;
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: PingbackOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.doFetch = options.fetch ?? fetch;
  }

  private async call<T>(route: SdkRoute, call: { parameters?: Record<string, string>; query?: Record<string, string | number | undefined>; body?: unknown; auth: 'key' | 'none'; expect: number; signal?: AbortSignal }): Promise<T> {
    const url = new URL(`${this.url}${fillPath(route, call.parameters)}`);
    for (const [name, value] of Object.entries(call.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = {};
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.auth === 'key') {
      if (!this.options.apiKey) throw new Error(`${route.method} ${route.path} needs the API key (apiKey)`);
      headers.authorization = `Bearer ${this.options.apiKey}`;
    }
    const response = await this.doFetch(url, { method: route.method, headers, ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}), ...(call.signal ? { signal: call.signal } : {}) });
    const text = await response.text();
    let body: Record<string, unknown>;
    try {
      const parsed = text === '' ? {} : (JSON.parse(text) as unknown);
      body = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      throw new PingbackApiError(response.status, 'not_json', `answered ${response.status} with something that is not JSON`, text);
    }
    if (response.status !== call.expect) throw new PingbackApiError(response.status, String(body.error ?? 'unexpected_status'), String(body.message ?? text), body);
    return body as T;
  }

  private token(): string {
    if (!this.options.channelToken) throw new Error('sending and polling need a channel token (channelToken)');
    return this.options.channelToken;
  }

  /** Seed 000: send a notification; its id comes back at once. */
  send(request: SendInput, signal?: AbortSignal): Promise<SendResponse> {
    return this.call(SDK_ROUTES.send, { parameters: { token: this.token() }, body: request, auth: 'none', expect: 200, ...(signal ? { signal } : {}) });
  }

  /** Seed 000: one poll for the answer (`submitted` once, then `already_read`). */
  poll(messageId: string, signal?: AbortSignal): Promise<PollResponse> {
    return this.call(SDK_ROUTES.poll, { parameters: { token: this.token(), messageId }, auth: 'none', expect: 200, ...(signal ? { signal } : {}) });
  }

  /**
   * Sends, then polls every `pollIntervalMs` (1 s) until the answer comes or cannot come; `timeoutMs` bounds the wait
   * (`timed_out`), an abort signal ends it early. The answer is read once: nobody else's poll will see it.
   */
  async sendAndWait(request: SendInput, wait: { timeoutMs?: number; pollIntervalMs?: number; signal?: AbortSignal } = {}): Promise<WaitOutcome & { messageId: string }> {
    const { id: messageId } = await this.send(request, wait.signal);
    const giveUpAt = Date.now() + (wait.timeoutMs ?? Infinity);
    for (;;) {
      const polled = await this.poll(messageId, wait.signal);
      if (polled.status === 'submitted') return { status: 'submitted', result: polled.result, messageId };
      if (polled.status !== 'pending') return { status: polled.status, messageId };
      if (Date.now() >= giveUpAt) return { status: 'timed_out', messageId };
      await sleep(wait.pollIntervalMs ?? 1_000, wait.signal);
    }
  }

  /** Seed 002: ask the account's reviewers. */
  createApproval(request: { context: string; timeout_seconds?: number; timeout_action?: 'deny' | 'approve'; reviewers?: string[]; callback_url?: string; metadata?: Record<string, unknown> }): Promise<Approval> {
    return this.call(SDK_ROUTES.createApproval, { body: request, auth: 'key', expect: 201 });
  }

  /** Seed 002: the approval as it stands; `waitSeconds` (≤ 30) holds the read until a decision. */
  getApproval(approvalId: string, waitSeconds = 0): Promise<Approval> {
    return this.call(SDK_ROUTES.getApproval, { parameters: { approvalId }, query: { wait: waitSeconds || undefined }, auth: 'key', expect: 200 });
  }

  /** Reads the approval with held polls until it is decided (or its time-out applies). */
  async waitForApproval(approvalId: string): Promise<Approval> {
    for (;;) {
      const approval = await this.getApproval(approvalId, 25);
      if (approval.result !== null) return approval;
    }
  }

  /** Decide an approval by API (a dashboard's decision); `decided_by` is the key's name. */
  decideApproval(approvalId: string, decision: 'approve' | 'deny', notes?: string): Promise<Approval> {
    return this.call(SDK_ROUTES.decideApproval, { parameters: { approvalId }, body: { decision, ...(notes !== undefined ? { notes } : {}) }, auth: 'key', expect: 200 });
  }

  /** Seed 002: a dynamic workflow's stage, with its payload and cost fields in `body`. */
  pingStage(workflowId: string, stagePath: string, options: { start?: boolean; final?: boolean; agent?: string; stageName?: string; body?: Record<string, unknown> } = {}): Promise<StagePing> {
    return this.call(SDK_ROUTES.pingStage, {
      parameters: { workflowId },
      query: { stagePath, start: options.start ? 'yes' : undefined, final: options.final ? 'yes' : undefined, agent: options.agent, stagename: options.stageName },
      body: options.body ?? {},
      auth: 'key',
      expect: 200,
    });
  }

  /** Seed 002: an instance's steps with their cost (a page; `next_from_step` when more follow). */
  timeline(instanceId: string, page: { fromStep?: number; limit?: number } = {}): Promise<Record<string, unknown> & { timeline: Record<string, unknown>[] }> {
    return this.call(SDK_ROUTES.timeline, { parameters: { instanceId }, query: { from_step: page.fromStep, limit: page.limit }, auth: 'key', expect: 200 });
  }
}
