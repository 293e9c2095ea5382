import { request } from '../../tests/support/api';
import type { Stack } from '../../tests/support/stack';

/** The workflow the pings go to: one stage, so a ping of stage 1 starts an instance and completes it. */
export const BENCH_WORKFLOW = { type: 'static', stages: [{ name: 'one' }] } as const;

/** `count` static workflows of the account, made through the management API as a user would. */
export async function createStaticWorkflows(stack: Stack, apiKey: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 1; index <= count; index += 1) {
    const created = await request<{ id: string }>(`${stack.url}/api/workflows`, {
      body: { name: `bench ${index}`, ...BENCH_WORKFLOW },
      headers: { authorization: `Bearer ${apiKey}` },
    });
    if (created.status !== 201) throw new Error(`POST /api/workflows: ${created.status} ${JSON.stringify(created.body)}`);
    ids.push(created.body.id);
  }
  return ids;
}

/** The seed's stage ping, `GET /shk/{id}?stage=1&key=KEY`, one path per workflow. */
export const stagePingPaths = (workflowIds: readonly string[], apiKey: string): string[] =>
  workflowIds.map((id) => `/shk/${encodeURIComponent(id)}?stage=1&key=${encodeURIComponent(apiKey)}`);
