import path from 'node:path';
import { createChannel, request } from '../support/api';
import { pythonWithRequests, runClient, type ClientRun } from '../support/run-client';
import { MONITORING_SERVICES, startStack, type Stack } from '../support/stack';

const SEED_CLIENTS = path.join(__dirname, '..', 'seed-clients');

let stack: Stack;
let python: string;
/** One account for the file: workflow ids are global, and the seed's examples name the same ones. */
let apiKey: string;

beforeAll(async () => {
  python = pythonWithRequests();
  stack = await startStack({}, MONITORING_SERVICES);
  apiKey = (await createChannel(stack)).apiKey;
  // Seed 002's static example workflow, made "in the dashboard" (here: the management API).
  const created = await request(`${stack.url}/api/workflows`, {
    body: { id: 'swf123', name: 'Example', type: 'static', stages: [{ name: 'Build' }, { name: 'Test' }] },
    headers: { authorization: `Bearer ${apiKey}` },
  });
  if (created.status !== 201) throw new Error(`create swf123: ${created.status} ${JSON.stringify(created.body)}`);
}, 120_000);
afterAll(() => stack?.stop());

const run = (command: string, script: string) => runClient(command, [path.join(SEED_CLIENTS, script)], { PINGBACK_KEY: apiKey, PINGBACK_API: stack.url });

/** Each line the script printed, as JSON (the scripts' only addition to the seed's code). */
function printed(result: ClientRun): unknown[] {
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
}

const staticAnswer = (stage: number, status: string) => ({
  status: 'success',
  workflow_id: 'swf123',
  instance_id: expect.any(String),
  stage_order: stage,
  workflow_status: status,
});
const dynamicAnswer = (workflow: string, stagePath: string, status: string) => ({ status: 'success', workflow_id: workflow, instance_id: expect.any(String), stage_path: stagePath, workflow_status: status });

describe("seed 002's Python and Node examples, unchanged but for the base URL and the key", () => {
  test("when the Python code examples ping swf123 and ml_pipeline, then each call returns the seed's body", async () => {
    const [first, start, branch] = printed(await run(python, 'seed_002_code_examples.py'));
    expect(first).toEqual(staticAnswer(1, 'running'));
    expect(start).toEqual(dynamicAnswer('ml_pipeline', '1', 'running'));
    expect(branch).toEqual({ ...dynamicAnswer('ml_pipeline', '2.1', 'running'), instance_id: (start as { instance_id: string }).instance_id });
  });

  test('when the generic Python and JavaScript examples run three stages each, then the last one completes the instance', async () => {
    for (const [command, script] of [
      [python, 'seed_002_generic_http.py'],
      [process.execPath, 'seed-002-generic-http.mjs'],
    ] as const) {
      const answers = printed(await run(command, script));
      expect(answers).toEqual([
        dynamicAnswer('YOUR_WORKFLOW_ID', '1', 'running'),
        dynamicAnswer('YOUR_WORKFLOW_ID', '2', 'running'),
        dynamicAnswer('YOUR_WORKFLOW_ID', '3', 'completed'),
      ]);
      const instances = await request<{ recent_instances: { stage_statuses: Record<string, { status: string }> }[] }>(`${stack.url}/api/workflows/YOUR_WORKFLOW_ID/instances?key=${apiKey}`);
      expect(Object.keys(instances.body.recent_instances[0]!.stage_statuses)).toEqual(['1', '2', '3']);
    }
  });

  test('when the Node (axios) example pings swf123 and starts ml_pipeline, then it prints both bodies', async () => {
    const [stage, start] = printed(await run(process.execPath, 'seed-002-axios.cjs'));
    expect(stage).toEqual(staticAnswer(1, 'running'));
    expect(start).toEqual(dynamicAnswer('ml_pipeline', '1', 'running'));
  });

  test("when the instance-history example reads my_pipeline with the access_token cookie, then it prints the running instance and the failed one's stages", async () => {
    const ping = (query: string, body?: unknown) => request(`${stack.url}/dhk/my_pipeline?key=${apiKey}&${query}`, body === undefined ? {} : { body });
    expect((await ping('stagePath=1&start=yes&stagename=Init')).status).toBe(200);
    expect((await ping('stagePath=2&stagename=Process', { status: 'failure' })).status).toBe(200);
    const running = await ping('stagePath=1&start=yes');
    const runningId = (running.body as { instance_id: string }).instance_id;

    const result = await run(python, 'seed_002_instance_history.py');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Active instance: ${runningId}`);
    expect(lines[1]).toMatch(/^Failed: \S+ - Stage 2 failed/);
    expect(lines.slice(2)).toEqual(['  Stage 2: failed']);
  });
});
