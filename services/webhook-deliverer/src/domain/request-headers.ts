import type { WebhookSignatureStyle } from '@pingback/contracts';
import { signWebhook, type BrandSignatureStyle } from '@pingback/security';

const BRAND_STYLES: Record<WebhookSignatureStyle, BrandSignatureStyle> = {
  /** `X-Pingback-Signature: sha256=<hex>` (seed 003). */
  brand: 'brand-prefixed',
  /** Bare lower-case hex (seed 004's room outgoing webhooks). */
  hex: 'brand-hex',
};

/**
 * The signature headers of one attempt: the brand signature, written in the purpose's style, and the Standard
 * Webhooks set (one `v1,` entry per secret, current first), both over the exact body bytes and this attempt's
 * timestamp. safePost adds content-type and user-agent.
 */
export function webhookRequestHeaders(input: {
  id: string;
  timestamp: number;
  body: string;
  secrets: readonly string[];
  signature: WebhookSignatureStyle;
}): Record<string, string> {
  const { signature, ...signed } = input;
  return signWebhook({ ...signed, style: BRAND_STYLES[signature] });
}
