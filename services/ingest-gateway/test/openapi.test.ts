import { DEFAULT_LIMITS } from '@pingback/contracts';
import { apiFamilies } from '../src/gateway';
import type { GatewayDeps } from '../src/gateway-deps';
import { openApiDocument } from '../src/http/openapi';

/** Building the families reads only the public URL; no route runs here, so nothing else is needed. */
const deps = { publicUrl: 'http://127.0.0.1:8080' } as unknown as GatewayDeps;

interface Operation {
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const WRITES: readonly string[] = ['post', 'put', 'patch'];

/** Writes that take no body at all: the path and the credential say everything. */
const BODILESS = new Set([
  'POST /api/channels/{id}/test',
  'POST /api/channels/{id}/rotate-token',
  'POST /api/channels/{id}/rotate-secret',
  'POST /api/channels/{id}/destinations/{destId}/enable',
  'POST /api/endpoints/{id}/enable',
  'POST /api/endpoints/{id}/rotate-secret',
  'POST /api/deliveries/{id}/resend',
  'POST /api/account/rotate-secret',
  'POST /api/rooms/{code}/webhooks/{id}/test',
  'POST /api/rooms/{code}/outgoing-webhook/test',
  'POST /api/instances/{instanceId}/resume',
  'POST /api/heartbeats/{monitorId}/pause',
  'POST /api/heartbeats/{monitorId}/resume',
  'POST /api/alerts/{alertId}/acknowledge',
]);

const hasSchema = (content: Record<string, { schema?: unknown }> | undefined) =>
  content !== undefined && Object.keys(content).length > 0 && Object.values(content).every((media) => typeof media.schema === 'object' && media.schema !== null && Object.keys(media.schema).length > 0);

describe('the OpenAPI document', () => {
  const document = openApiDocument(deps.publicUrl);
  const paths = document.paths as Record<string, Record<string, unknown>>;
  const routes = apiFamilies(deps, { ...DEFAULT_LIMITS }).flatMap((family) => family.routes);
  const operations = Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method) => [method.toUpperCase(), path, item[method] as Operation] as const),
  );

  test.each(routes.map((r) => [r.method.toUpperCase(), r.path] as const))('when the gateway serves %s %s, then the document describes it', (method, path) => {
    const documented = path.replace(/:(\w+)/g, '{$1}');
    expect(paths[documented]?.[method.toLowerCase()]).toBeDefined();
  });

  test.each(operations)('when %s %s succeeds, then the document gives the schema of its answer', (_method, _path, operation) => {
    const successes = Object.entries(operation.responses).filter(([status]) => /^[23]\d\d$/.test(status));
    expect(successes.map(([status]) => status)).not.toEqual([]);
    for (const [status, response] of successes) {
      // A 204 has no body, a redirect only its Location.
      const described = status === '204' || status.startsWith('3') ? true : hasSchema(response.content);
      expect({ status, described }).toEqual({ status, described: true });
    }
  });

  test.each(operations.filter(([method]) => WRITES.includes(method.toLowerCase())))('when %s %s is sent, then the document gives the schema of its body', (method, path, operation) => {
    if (BODILESS.has(`${method} ${path}`)) return void expect(operation.requestBody).toBeUndefined();
    expect(hasSchema(operation.requestBody?.content)).toBe(true);
  });

  test('when a write is listed as taking no body, then the document has that write', () => {
    const documented = new Set(operations.map(([method, path]) => `${method} ${path}`));
    expect([...BODILESS].filter((write) => !documented.has(write))).toEqual([]);
  });
});
