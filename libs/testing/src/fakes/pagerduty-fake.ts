import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, sendJson } from './http-io';

/**
 * A local PagerDuty Events API v2 (`POST /v2/enqueue`). It checks what PagerDuty checks: a 32-character routing
 * key it knows, `event_action`, `dedup_key` for acknowledge and resolve, and a trigger's summary, source and
 * severity. Accepted events change the incident their dedup_key names.
 */

export type IncidentState = 'triggered' | 'acknowledged' | 'resolved';

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'acknowledge' | 'resolve';
  dedup_key?: string;
  payload?: {
    summary: string;
    source: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    custom_details?: unknown;
    [field: string]: unknown;
  };
  links?: { href: string; text?: string }[];
  images?: unknown[];
  client?: string;
  client_url?: string;
}

export interface PagerDutyIncident {
  dedupKey: string;
  routingKey: string;
  state: IncidentState;
  /** The trigger that opened it (a repeated trigger with the same dedup_key joins it). */
  trigger: PagerDutyEvent;
}

export interface PagerDutyFake {
  url: string;
  /** Every accepted event, in order. */
  events: PagerDutyEvent[];
  incident(dedupKey: string): PagerDutyIncident | undefined;
  /** Makes a routing key valid; returns it. Default: a new random 32-character key. */
  addRoutingKey(routingKey?: string): string;
  /** The next `n` requests answer 429. */
  rateLimit(n: number): void;
  /** The next `n` requests answer 500. */
  failNext(n: number): void;
  /** Every later request is read and never answered. */
  hang(): void;
  close(): Promise<void>;
}

const EVENT_ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const SEVERITIES = ['critical', 'error', 'warning', 'info'];
const MAX_SUMMARY_CHARS = 1024;
const MAX_DEDUP_KEY_CHARS = 255;
/** PagerDuty refuses an event over 512 KB. */
const MAX_EVENT_BYTES = 512 * 1024;

export async function startPagerDutyFake(): Promise<PagerDutyFake> {
  const routingKeys = new Set<string>();
  const incidents = new Map<string, PagerDutyIncident>();
  const events: PagerDutyEvent[] = [];
  let rateLimited = 0;
  let failing = 0;
  let hanging = false;

  function enqueue(raw: string): { status: number; body: unknown } {
    if (Buffer.byteLength(raw, 'utf8') > MAX_EVENT_BYTES) return { status: 413, body: { status: 'invalid event', message: 'Request entity too large' } };
    let event: unknown;
    try {
      event = JSON.parse(raw);
    } catch {
      return invalid(['Malformed JSON']);
    }
    const errors = problemsOf(event, routingKeys);
    if (errors.length) return invalid(errors);
    const accepted = event as PagerDutyEvent;
    const dedupKey = accepted.dedup_key ?? randomBytes(16).toString('hex');
    events.push(accepted);
    const incident = incidents.get(dedupKey);
    if (accepted.event_action === 'trigger') {
      if (!incident || incident.state === 'resolved') incidents.set(dedupKey, { dedupKey, routingKey: accepted.routing_key, state: 'triggered', trigger: accepted });
    } else if (incident && incident.state !== 'resolved') {
      incident.state = accepted.event_action === 'resolve' ? 'resolved' : 'acknowledged';
    }
    return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: dedupKey } };
  }

  const server = http.createServer((request, response) => {
    readBody(request).then((bytes) => bytes.toString('utf8')).then(
      (raw) => {
        if (hanging) return;
        if (rateLimited > 0) {
          rateLimited -= 1;
          return sendJson(response, 429, { status: 'throttle event', message: 'Requests for this service are arriving too quickly. Please retry later.' });
        }
        if (failing > 0) {
          failing -= 1;
          return sendJson(response, 500, { status: 'error', message: 'Internal server error' });
        }
        if (request.method !== 'POST' || new URL(request.url ?? '/', 'http://fake').pathname !== '/v2/enqueue') {
          return sendJson(response, 404, { status: 'not found', message: 'Not found' });
        }
        const { status, body } = enqueue(raw);
        sendJson(response, status, body);
      },
      () => response.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    events,
    incident: (dedupKey) => {
      const found = incidents.get(dedupKey);
      return found && { ...found };
    },
    addRoutingKey(routingKey = randomBytes(16).toString('hex')) {
      routingKeys.add(routingKey);
      return routingKey;
    },
    rateLimit(n) {
      rateLimited = n;
    },
    failNext(n) {
      failing = n;
    },
    hang() {
      hanging = true;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Each reason PagerDuty would give for refusing the event, in its words. */
function problemsOf(value: unknown, routingKeys: ReadonlySet<string>): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ['Event object must be a JSON object'];
  const event = value as Record<string, unknown>;
  const errors: string[] = [];
  const routingKey = event.routing_key;
  if (typeof routingKey !== 'string' || routingKey === '') errors.push("'routing_key' is missing or blank");
  else if (routingKey.length !== 32) errors.push("Length of 'routing_key' is incorrect (should be 32 characters)");
  else if (!routingKeys.has(routingKey)) errors.push("'routing_key' is not a known integration key");
  const action = event.event_action;
  if (typeof action !== 'string' || !EVENT_ACTIONS.includes(action)) errors.push("'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')");
  const dedupKey = event.dedup_key;
  if (dedupKey !== undefined && (typeof dedupKey !== 'string' || dedupKey === '' || dedupKey.length > MAX_DEDUP_KEY_CHARS)) {
    errors.push(`'dedup_key' must be a string of 1 to ${MAX_DEDUP_KEY_CHARS} characters`);
  }
  if ((action === 'acknowledge' || action === 'resolve') && dedupKey === undefined) errors.push(`'dedup_key' is missing and is required for '${action}'`);
  if (action === 'trigger') errors.push(...payloadProblems(event.payload));
  if (event.links !== undefined && (!Array.isArray(event.links) || !event.links.every((link) => typeof (link as { href?: unknown } | null)?.href === 'string'))) {
    errors.push("'links' must be an array of objects with an 'href'");
  }
  return errors;
}

function payloadProblems(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ["'payload' is missing or not an object"];
  const payload = value as Record<string, unknown>;
  const errors: string[] = [];
  if (typeof payload.summary !== 'string' || payload.summary.trim() === '') errors.push("'payload.summary' is missing or blank");
  else if (payload.summary.length > MAX_SUMMARY_CHARS) errors.push(`'payload.summary' is longer than ${MAX_SUMMARY_CHARS} characters`);
  if (typeof payload.source !== 'string' || payload.source.trim() === '') errors.push("'payload.source' is missing or blank");
  if (typeof payload.severity !== 'string' || !SEVERITIES.includes(payload.severity)) {
    errors.push("'payload.severity' is invalid (must be one of the following: 'critical', 'error', 'warning' or 'info')");
  }
  return errors;
}

function invalid(errors: string[]): { status: number; body: unknown } {
  return { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors } };
}


