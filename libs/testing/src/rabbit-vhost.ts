import { randomUUID } from 'node:crypto';
import { processRuns } from './local-process';

export interface IsolatedVhost {
  /** The AMQP URL of the new vhost, with the base URL's credentials. */
  url: string;
  vhost: string;
  delete(): Promise<void>;
}

const DEFAULT_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
/** A broker that does not answer within this fails the test file instead of hanging it. */
const MANAGEMENT_CALL_TIMEOUT_MS = 60_000;
const TEST_VHOST = /^test-(\d+)-[0-9a-f]{8}$/;

/**
 * A fresh vhost for one test file, so files can run in parallel on one RabbitMQ (CONTRACT §9). Created
 * through the management API (RABBITMQ_MANAGEMENT_URL, else http://<amqp user:pass>@<amqp host>:15672),
 * with full permissions for the AMQP URL's user.
 */
export async function createIsolatedVhost(
  baseAmqpUrl: string = process.env.RABBITMQ_URL ?? DEFAULT_AMQP_URL,
  managementUrl: string = process.env.RABBITMQ_MANAGEMENT_URL ?? managementUrlFor(baseAmqpUrl),
): Promise<IsolatedVhost> {
  const amqpUrl = new URL(baseAmqpUrl);
  const user = decodeURIComponent(amqpUrl.username || 'guest');
  // The pid lets a later run tell a vhost whose run was killed (deleteStaleTestVhosts).
  const vhost = `test-${process.pid}-${randomUUID().slice(0, 8)}`;
  const api = managementApi(managementUrl);
  await api('PUT', `/vhosts/${encodeURIComponent(vhost)}`, {});
  await api('PUT', `/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`, {
    configure: '.*',
    write: '.*',
    read: '.*',
  });
  amqpUrl.pathname = `/${encodeURIComponent(vhost)}`;
  let deleted = false;
  return {
    url: amqpUrl.toString(),
    vhost,
    async delete() {
      if (deleted) return;
      deleted = true;
      await api('DELETE', `/vhosts/${encodeURIComponent(vhost)}`);
    },
  };
}

/**
 * Deletes the vhosts of test runs that were killed before their clean-up: each recovering quorum queue slows
 * the broker's next boot. Only on a broker of this machine, where the pid in the name can be checked.
 */
export async function deleteStaleTestVhosts(managementUrl: string): Promise<string[]> {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(managementUrl).hostname)) return [];
  const api = managementApi(managementUrl);
  const vhosts = (await api('GET', '/vhosts?columns=name')) as Array<{ name: string }>;
  const stale = vhosts.map((vhost) => vhost.name).filter((name) => {
    const pid = TEST_VHOST.exec(name)?.[1];
    return pid !== undefined && !processRuns(Number(pid));
  });
  for (const name of stale) await api('DELETE', `/vhosts/${encodeURIComponent(name)}`);
  return stale;
}

export function managementUrlFor(amqpUrl: string): string {
  const parsed = new URL(amqpUrl);
  const user = parsed.username || 'guest';
  const password = parsed.password || 'guest';
  return `http://${user}:${password}@${parsed.hostname}:15672`;
}

export type ManagementCall = (method: string, path: string, body?: unknown) => Promise<unknown>;

/**
 * Calls RabbitMQ's management API (`/api…`) and resolves with a GET's JSON. fetch refuses URLs with credentials
 * in them: they move into a Basic Authorization header.
 */
export function managementApi(managementUrl: string): ManagementCall {
  const base = new URL(managementUrl);
  const authorization = `Basic ${Buffer.from(
    `${decodeURIComponent(base.username || 'guest')}:${decodeURIComponent(base.password || 'guest')}`,
  ).toString('base64')}`;
  base.username = '';
  base.password = '';
  const root = base.toString().replace(/\/$/, '');
  return async (method, path, body) => {
    const response = await fetch(`${root}/api${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(MANAGEMENT_CALL_TIMEOUT_MS),
    });
    if (!response.ok && !(method === 'DELETE' && response.status === 404)) {
      throw new Error(`RabbitMQ management ${method} ${path} answered ${response.status}: ${await response.text()}`);
    }
    return method === 'GET' ? response.json() : undefined;
  };
}
