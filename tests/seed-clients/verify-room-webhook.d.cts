export function verify(req: { header(name: string): string | undefined; rawBody: string }, signingSecret: string): boolean;
