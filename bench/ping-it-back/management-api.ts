/** A call to the RabbitMQ management API. fetch refuses URLs with credentials: they move into a Basic header. */
async function call(managementUrl: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Response> {
  const base = new URL(managementUrl);
  const user = decodeURIComponent(base.username || 'guest');
  const password = decodeURIComponent(base.password || 'guest');
  const url = `${base.origin}/api${path}`;
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`RabbitMQ management API: ${response.status} for ${method} ${url}`);
  return response;
}

export async function managementCall<T>(managementUrl: string, path: string, body?: unknown): Promise<T> {
  return (await (await call(managementUrl, body === undefined ? 'GET' : 'POST', path, body)).json()) as T;
}

export const managementGet = <T>(managementUrl: string, path: string): Promise<T> => managementCall<T>(managementUrl, path);

export async function managementDelete(managementUrl: string, path: string): Promise<void> {
  await (await call(managementUrl, 'DELETE', path)).body?.cancel();
}
