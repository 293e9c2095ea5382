import { gracePeriodFailure, stageTimeoutFailure } from '../../src/domain/workflows/clocks';
import type { InstanceWithStages, StageRecord, WorkflowRecord } from '../../src/domain/workflows/workflow-records';
import { wasReached } from '../../src/domain/workflows/workflow-records';

const workflow = (kind: 'static' | 'dynamic', stages: string[] = []): WorkflowRecord => ({
  id: 'wf',
  accountId: 'acc_1',
  kind,
  name: 'wf',
  validationMode: 'flexible',
  stages: stages.map((name) => ({ name })),
  stageTimeoutMs: 1_000,
  gracePeriodMs: 1_000,
  alertChannels: [],
  eventsUrl: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

let clock = 0;
const stage = (path: string, status = 'healthy'): StageRecord => ({ path, status, stageName: null, agentCode: null, executedAt: new Date(++clock * 1_000) });

const run = (...stages: StageRecord[]): InstanceWithStages => ({
  id: 'wfi_1',
  workflowId: 'wf',
  accountId: 'acc_1',
  status: 'running',
  agentCode: null,
  failureReason: null,
  startedAt: new Date(0),
  completedAt: null,
  lastStageAt: new Date(0),
  origin: 'ping',
  sourceInstanceId: null,
  costMicros: 0n,
  stages,
});

describe('a stage time-out', () => {
  test('when a dynamic run times out after 1 then 2.1, then the reason names 2.1 and no stage is marked: the stages that ran stay healthy', () => {
    expect(stageTimeoutFailure(workflow('dynamic'), run(stage('1'), stage('2.1')))).toEqual({ reason: 'Stage 2.1 timeout', unreached: [], status: 'timeout' });
  });

  test('when a dynamic run pinged 3 before 2.1, then the reason names the last path seen, not the highest', () => {
    expect(stageTimeoutFailure(workflow('dynamic'), run(stage('3'), stage('2.1'))).reason).toBe('Stage 2.1 timeout');
  });

  test('when a static run stalls after stages 1 and 2 of 3, then stage 3, which never came, is marked timeout', () => {
    expect(stageTimeoutFailure(workflow('static', ['Build', 'Test', 'Deploy']), run(stage('1'), stage('2')))).toEqual({
      reason: 'Stage 3 timeout',
      unreached: [{ path: '3', stageName: 'Deploy' }],
      status: 'timeout',
    });
  });

  test('when a static run already has every stage (the workflow lost stages meanwhile), then nothing is marked', () => {
    expect(stageTimeoutFailure(workflow('static', ['A', 'B']), run(stage('1'), stage('2'), stage('3')))).toEqual({ reason: 'Stage 2 timeout', unreached: [], status: 'timeout' });
  });

  test('when a row records a stage as missed or timed out, then it does not count as a stage the run reached', () => {
    expect(['healthy', 'failed', 'missed', 'timeout'].map((status) => wasReached({ status }))).toEqual([true, true, false, false]);
    expect(stageTimeoutFailure(workflow('static', ['A', 'B', 'C']), run(stage('1'), stage('2', 'missed'))).reason).toBe('Stage 2 timeout');
    expect(stageTimeoutFailure(workflow('dynamic'), run(stage('1'), stage('2', 'timeout'))).reason).toBe('Stage 1 timeout');
  });
});

describe('a grace period', () => {
  test('when stages 1 and 3 of 4 are in, then stages 2 and 4 are marked missed', () => {
    expect(gracePeriodFailure(workflow('static', ['A', 'B', 'C', 'D']), run(stage('3'), stage('1')))).toEqual({
      reason: 'Missing stages 2, 4 after grace period',
      unreached: [
        { path: '2', stageName: 'B' },
        { path: '4', stageName: 'D' },
      ],
      status: 'missed',
    });
  });

  test('when a dynamic run has no final stage, then the reason says so and no stage is marked', () => {
    expect(gracePeriodFailure(workflow('dynamic'), run(stage('1')))).toEqual({ reason: 'No final stage after grace period', unreached: [], status: 'missed' });
  });

  test('when every stage is in, then the run does not fail', () => {
    expect(gracePeriodFailure(workflow('static', ['A', 'B']), run(stage('2'), stage('1')))).toBeNull();
  });
});
