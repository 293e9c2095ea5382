/** Types for seed-003-verifier.js: `req` as express.json() leaves it (headers, parsed body). */
export function verifyWebhook(req: { headers: Record<string, unknown>; body: unknown }, secret: string): boolean;
