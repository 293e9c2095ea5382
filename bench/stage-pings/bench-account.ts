import { request } from '../../tests/support/api';
import type { Stack } from '../../tests/support/stack';

export interface BenchAccount {
  id: string;
  apiKey: string;
}

/** An account with its first API key, made through the admin API as an operator would. */
export async function createBenchAccount(stack: Stack): Promise<BenchAccount> {
  const created = await request<{ id: string; api_key: string }>(`${stack.url}/admin/accounts`, {
    body: { name: 'stage-pings bench' },
    headers: { authorization: `Bearer ${stack.adminKey}` },
  });
  if (created.status !== 201) throw new Error(`POST /admin/accounts: ${created.status} ${JSON.stringify(created.body)}`);
  return { id: created.body.id, apiKey: created.body.api_key };
}
