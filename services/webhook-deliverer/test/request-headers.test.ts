import { generateSecret, verifyBrandSignature } from '@pingback/security';
import { webhookRequestHeaders } from '../src/domain/request-headers';

// Pure: the header builder each purpose's signature style goes through.

describe('webhook-deliverer: signature styles', () => {
  const input = { id: 'hook_1', timestamp: 1_790_000_000, body: '{"ok":true}', secrets: [generateSecret('whsec_')] };

  test('when a purpose signs in the brand style, then X-Pingback-Signature is sha256=<hex>', () => {
    expect(webhookRequestHeaders({ ...input, signature: 'brand' })['X-Pingback-Signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  test('when a purpose signs in the hex style (seed 004), then X-Pingback-Signature is bare lower-case hex over the same bytes', () => {
    const hex = webhookRequestHeaders({ ...input, signature: 'hex' });
    const brand = webhookRequestHeaders({ ...input, signature: 'brand' });
    expect(hex['X-Pingback-Signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(`sha256=${hex['X-Pingback-Signature']}`).toBe(brand['X-Pingback-Signature']);
    expect(hex['webhook-signature']).toBe(brand['webhook-signature']);
    expect(
      verifyBrandSignature({ headers: hex, body: input.body, secret: input.secrets, style: 'brand-hex', nowSeconds: input.timestamp }),
    ).toBe(true);
  });
});
