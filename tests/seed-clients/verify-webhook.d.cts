/** Types for seed 003's verifier (verify-webhook.cjs): `req` is what an Express handler gets after express.json(). */
export declare function verifyWebhook(req: { headers: Record<string, string | string[] | undefined>; body: unknown }, secret: string): boolean;
