import { DEFAULT_LIMITS } from '@pingback/contracts';
import { apiFamilies } from '../src/gateway';
import type { GatewayDeps } from '../src/gateway-deps';
import { openApiDocument } from '../src/http/openapi';

/** Building the families reads only the public URL; no route runs here, so nothing else is needed. */
const deps = { publicUrl: 'http://127.0.0.1:8080' } as unknown as GatewayDeps;

describe('the OpenAPI document', () => {
  const document = openApiDocument(deps.publicUrl);
  const routes = apiFamilies(deps, { ...DEFAULT_LIMITS }).flatMap((family) => family.routes);

  test.each(routes.map((r) => [r.method.toUpperCase(), r.path] as const))('when the gateway serves %s %s, then the document describes it', (method, path) => {
    const documented = path.replace(/:(\w+)/g, '{$1}');
    const paths = document.paths as Record<string, Record<string, unknown>>;
    expect(paths[documented]?.[method.toLowerCase()]).toBeDefined();
  });
});
