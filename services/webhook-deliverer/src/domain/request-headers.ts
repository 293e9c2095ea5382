import { signWebhook } from '@pingback/security';

/**
 * The signature headers of one attempt: the brand signature (`sha256=<hex>`, seed 003) and the Standard Webhooks
 * set (one `v1,` entry per secret, current first), both over the exact body bytes and this attempt's timestamp.
 * safePost adds content-type and user-agent.
 */
export function webhookRequestHeaders(input: { id: string; timestamp: number; body: string; secrets: readonly string[] }): Record<string, string> {
  return signWebhook({ ...input, style: 'brand-prefixed' });
}
