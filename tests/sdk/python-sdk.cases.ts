import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '@pingback/testing';
import { answer, createChannel, messageIdTitled, request, respondUrls, type ChannelCredentials } from '../support/api';
import { sharedStack } from '../clients/shared-stack';
import type { Stack } from '../support/stack';

const PACKAGE = join(__dirname, '../../libs/python');

let stack: Stack;
let account: ChannelCredentials;

beforeAll(async () => {
  stack = await sharedStack();
  account = await createChannel(stack);
}, 120_000);

/** Runs Python with the package on its path and the account's credentials in the environment, as a user's script would. */
function python(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('python3', args, {
      env: { PATH: process.env.PATH ?? '', PYTHONPATH: PACKAGE, PINGBACK_URL: stack.url, PINGBACK_API_KEY: account.apiKey, PINGBACK_TOKEN: account.token, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const bearer = () => ({ authorization: `Bearer ${account.apiKey}` });

describe('the Python package', () => {
  test("when ping_and_wait asks and the inbox answers Deploy, then it returns 'deploy'", async () => {
    const running = python(['-c', "from pingback import ping_and_wait; print(ping_and_wait('Deploy from Python?', buttons=[('deploy', 'Deploy'), ('cancel', 'Cancel')], timeout=60))"]);
    const id = await messageIdTitled(stack, account.apiKey, 'Deploy from Python?');
    const [link] = await respondUrls(stack, account.apiKey, id);
    expect((await answer(link!, { triggered_by: 'deploy' })).status).toBe(201);

    expect(await running).toMatchObject({ code: 0, stdout: 'deploy\n' });
  });

  test('when request_approval waits and a reviewer approves, then it returns True; denied, False', async () => {
    const decide = async (context: string, decision: 'approve' | 'deny') => {
      const running = python(['-c', `from pingback import request_approval; print(request_approval(${JSON.stringify(context)}, timeout_seconds=60))`]);
      const approvalId = await waitFor(
        async () => (await request<{ data: { approval_id: string; context: string }[] }>(`${stack.url}/api/approvals?status=pending`, { headers: bearer() })).body.data.find((a) => a.context === context)?.approval_id,
        { description: `the approval "${context}"` },
      );
      await request(`${stack.url}/api/approvals/${approvalId}/decide`, { body: { decision }, headers: bearer() });
      return running;
    };
    expect(await decide('Publish article: Q4 Earnings Report', 'approve')).toMatchObject({ code: 0, stdout: 'True\n' });
    expect(await decide('Publish the draft?', 'deny')).toMatchObject({ code: 0, stdout: 'False\n' });
  });

  test("when the Airflow callbacks report a DAG run to the tracker, then its stages are recorded with the seed's body and the failure fails the run", async () => {
    const script = [
      'from datetime import datetime, timezone',
      'from types import SimpleNamespace',
      'from pingback.airflow import pingback_success, pingback_failure',
      'def context(task_id):',
      "    return {'dag': SimpleNamespace(dag_id='etl_pipeline'), 'task_instance': SimpleNamespace(task_id=task_id, try_number=1, duration=1.5), 'run_id': 'manual__1', 'logical_date': datetime(2024, 1, 15, tzinfo=timezone.utc)}",
      "pingback_success('airflow_etl', '1', start=True)(context('extract'))",
      "pingback_failure('airflow_etl', '2')(context('transform'))",
    ].join('\n');
    expect((await python(['-c', script])).code).toBe(0);

    const instances = await request<{ recent_instances: { id: string; status: string; failure_reason: string }[] }>(`${stack.url}/api/workflows/airflow_etl/instances`, { headers: bearer() });
    const [run] = instances.body.recent_instances;
    expect(run).toMatchObject({ status: 'failed', failure_reason: 'Stage 2 failed' });
    const timeline = await request<{ timeline: { stage_path: string; status: string; payload: unknown }[] }>(`${stack.url}/api/instances/${run!.id}/timeline`, { headers: bearer() });
    expect(timeline.body.timeline).toEqual([
      expect.objectContaining({ stage_path: '1', status: 'success', payload: { status: 'success', duration: 1.5, airflow: { dag_id: 'etl_pipeline', task_id: 'extract', run_id: 'manual__1', execution_date: '2024-01-15T00:00:00+00:00', try_number: 1 } } }),
      expect.objectContaining({ stage_path: '2', status: 'failed', payload: expect.objectContaining({ status: 'failure', airflow: expect.objectContaining({ task_id: 'transform' }) }) }),
    ]);
  });

  test("when the Airflow helpers' own tests run (a local server stands in for Pingback), then they pass", async () => {
    const run = await python(['-m', 'unittest', 'discover', '-s', join(PACKAGE, 'tests')]);
    expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0, stderr: expect.stringContaining('OK') });
  });
});
