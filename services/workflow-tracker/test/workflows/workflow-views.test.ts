import type { InstanceSummary } from '../../src/domain/workflows/workflow-reads';
import { orderedJson } from '../../src/http/ordered-json';
import { instanceView, singleInstanceView } from '../../src/http/workflow-views';

const failedRun: InstanceSummary = {
  id: 'wfi_1',
  workflowId: 'strict_ci',
  status: 'failed',
  startedAt: new Date('2025-01-15T10:30:00Z'),
  completedAt: new Date('2025-01-15T10:31:00Z'),
  agentCode: 'runner-1',
  failureReason: 'Stage 2 missed',
  origin: 'ping',
  sourceInstanceId: null,
  costMicros: 45_000n,
  stages: [
    { path: '1', status: 'healthy', stageName: 'Build', agentCode: 'runner-1', payload: { commit: 'abc', '2': 'integer-like key' } },
    { path: '2', status: 'missed', stageName: 'Test', agentCode: null, payload: null },
    { path: '10', status: 'missed', stageName: null, agentCode: null, payload: null },
  ],
};

describe('instance views', () => {
  test('when one instance is read, then each stage shows its payload last, or null, in stage order', () => {
    expect(orderedJson(singleInstanceView(failedRun))).toBe(
      '{"id":"wfi_1","workflow_id":"strict_ci","status":"failed","started_at":"2025-01-15T10:30:00.000Z","agent_code":"runner-1","failure_reason":"Stage 2 missed","cost_usd":0.045,' +
        '"stage_statuses":{"1":{"status":"healthy","stage_name":"Build","agent_code":"runner-1","payload":{"2":"integer-like key","commit":"abc"}},' +
        '"2":{"status":"missed","stage_name":"Test","payload":null},"10":{"status":"missed","payload":null}}}',
    );
  });

  test('when the instance history lists the run, then its stages have no payload (the seed shape)', () => {
    expect(orderedJson(instanceView(failedRun))).toBe(
      '{"id":"wfi_1","status":"failed","started_at":"2025-01-15T10:30:00.000Z","agent_code":"runner-1","failure_reason":"Stage 2 missed",' +
        '"stage_statuses":{"1":{"status":"healthy","stage_name":"Build","agent_code":"runner-1"},"2":{"status":"missed","stage_name":"Test"},"10":{"status":"missed"}}}',
    );
  });

  test('when the view is passed to map over several runs, then no run gets payloads from its index', () => {
    const text = orderedJson([failedRun, failedRun, failedRun].map(instanceView));
    expect(text).not.toContain('payload');
  });
});
