import { openApiDocument } from '../../../services/ingest-gateway/src/http/openapi';
import { fillPath, SDK_ROUTES } from '../src/routes';

describe("the SDK's routes", () => {
  const paths = openApiDocument('http://127.0.0.1:8080').paths as Record<string, Record<string, unknown>>;

  test.each(Object.entries(SDK_ROUTES))('when the SDK calls %s, then the OpenAPI document has that method and path', (_name, route) => {
    expect(paths[route.path]?.[route.method.toLowerCase()]).toBeDefined();
  });

  test('when a path parameter is filled in, then it is encoded, and a missing one is an error', () => {
    expect(fillPath(SDK_ROUTES.poll, { token: 'pbt_a/b', messageId: 'msg_1' })).toBe('/v1/callback/pbt_a%2Fb/msg_1');
    expect(() => fillPath(SDK_ROUTES.poll, { token: 'pbt_a' })).toThrow('messageId');
  });
});
