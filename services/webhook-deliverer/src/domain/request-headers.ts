import { signWebhook } from '@pingback/security';

export const USER_AGENT = 'Pingback-Webhooks/1';

/**
 * Every header of one attempt: the brand signature (`sha256=<hex>`, seed 003) and the Standard Webhooks set
 * (one `v1,` entry per secret, current first), both over the exact body bytes and this attempt's timestamp.
 */
export function webhookRequestHeaders(input: { id: string; timestamp: number; body: string; secrets: readonly string[] }): Record<string, string> {
  return {
    ...signWebhook({ ...input, style: 'brand-prefixed' }),
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
  };
}
