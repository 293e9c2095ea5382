import { decideDynamicPing, decideStaticPing, missingStages, payloadSaysFailed } from '../../src/domain/workflows/stage-rules';

describe('static workflows, strict mode', () => {
  const strict = (stage: number, running: number[] | null, stageCount = 4) => decideStaticPing({ mode: 'strict', stageCount, stage, running });

  test('when stage 1 arrives, then it starts a run, superseding one that is running', () => {
    expect(strict(1, null)).toEqual({ kind: 'start', supersede: false, completes: false });
    expect(strict(1, [1, 2])).toEqual({ kind: 'start', supersede: true, completes: false });
  });

  test('when the next stage arrives, then it joins the run, and the last one completes it', () => {
    expect(strict(2, [1])).toEqual({ kind: 'record', completes: false });
    expect(strict(4, [1, 2, 3])).toEqual({ kind: 'record', completes: true });
  });

  test('when stage 3 follows stage 1, then stage 2 is missed', () => {
    expect(strict(3, [1])).toEqual({ kind: 'missed', missing: [2], last: 1 });
    expect(strict(4, [1])).toEqual({ kind: 'missed', missing: [2, 3], last: 1 });
  });

  test('when a stage repeats or goes backwards, then it is out of order', () => {
    expect(strict(2, [1, 2])).toEqual({ kind: 'out_of_order', last: '2' });
    expect(strict(2, [1, 2, 3])).toEqual({ kind: 'out_of_order', last: '3' });
  });

  test('when a later stage arrives with no run, then there is no running instance', () => {
    expect(strict(2, null)).toEqual({ kind: 'no_running_instance' });
  });
});

describe('static workflows, flexible mode', () => {
  const flexible = (stage: number, running: number[] | null, stageCount = 3) => decideStaticPing({ mode: 'flexible', stageCount, stage, running });

  test('when stages come 3, 1, 2, then they make one run that 2 completes', () => {
    expect(flexible(3, null)).toEqual({ kind: 'start', supersede: false, completes: false });
    expect(flexible(1, [3])).toEqual({ kind: 'record', completes: false });
    expect(flexible(2, [3, 1])).toEqual({ kind: 'record', completes: true });
  });

  test('when a stage the run already has comes again, then it starts the next run', () => {
    expect(flexible(1, [1, 2])).toEqual({ kind: 'start', supersede: true, completes: false });
  });

  test('when the workflow has one stage, then each ping is a complete run', () => {
    expect(flexible(1, null, 1)).toEqual({ kind: 'start', supersede: false, completes: true });
  });
});

describe('dynamic workflows', () => {
  const ping = (path: string, running: string[] | null, options: { start?: boolean; final?: boolean; mode?: 'strict' | 'flexible' } = {}) =>
    decideDynamicPing({ mode: options.mode ?? 'flexible', path, start: options.start ?? false, final: options.final ?? false, running });

  test('when start=yes, then a run starts, superseding one that is running, and final=yes with it completes at once', () => {
    expect(ping('1', null, { start: true })).toEqual({ kind: 'start', supersede: false, completes: false });
    expect(ping('1', ['1', '2'], { start: true })).toEqual({ kind: 'start', supersede: true, completes: false });
    expect(ping('1', null, { start: true, final: true })).toEqual({ kind: 'start', supersede: false, completes: true });
  });

  test('when a stage comes without start and no run is going, then there is no running instance', () => {
    expect(ping('2', null)).toEqual({ kind: 'no_running_instance' });
  });

  test('when final=yes, then the stage completes the run', () => {
    expect(ping('3', ['1', '2'], { final: true })).toEqual({ kind: 'record', completes: true });
  });

  test('when flexible, then any path joins the run, backwards too', () => {
    expect(ping('1', ['2.1'])).toEqual({ kind: 'record', completes: false });
  });

  test('when strict, then a path must come after the highest one seen (2.10 after 2.9)', () => {
    expect(ping('2.10', ['1', '2.9'], { mode: 'strict' })).toEqual({ kind: 'record', completes: false });
    expect(ping('2.9', ['1', '2.10'], { mode: 'strict' })).toEqual({ kind: 'out_of_order', last: '2.10' });
    expect(ping('2', ['1', '2'], { mode: 'strict' })).toEqual({ kind: 'out_of_order', last: '2' });
    expect(ping('2.1', ['1', '2'], { mode: 'strict' })).toEqual({ kind: 'record', completes: false });
  });
});

describe('helpers', () => {
  test('when some stages are in, then the missing ones are listed lowest first', () => {
    expect(missingStages(5, [1, 3])).toEqual([2, 4, 5]);
    expect(missingStages(2, [2, 1])).toEqual([]);
  });

  test('when the payload says status failure (or failed, fail, error), then the stage failed; passed or complete do not', () => {
    for (const status of ['failure', 'failed', 'FAIL', 'error']) expect(payloadSaysFailed({ status })).toBe(true);
    for (const payload of [{ status: 'passed' }, { status: 'complete' }, { status: 1 }, {}, undefined]) expect(payloadSaysFailed(payload)).toBe(false);
  });
});

describe('a ping that names its run (a fork or re-run)', () => {
  test('when a strict static re-run is empty, then stage 1 joins it and a later stage misses the ones before', () => {
    expect(decideStaticPing({ mode: 'strict', stageCount: 3, stage: 1, running: [], attached: true })).toEqual({ kind: 'record', completes: false });
    expect(decideStaticPing({ mode: 'strict', stageCount: 3, stage: 3, running: [], attached: true })).toEqual({ kind: 'missed', missing: [1, 2], last: 0 });
  });

  test('when a strict fork holds stages 1 and 2, then stage 3 completes it and stage 1 again is out of order, never a new run', () => {
    expect(decideStaticPing({ mode: 'strict', stageCount: 3, stage: 3, running: [1, 2], attached: true })).toEqual({ kind: 'record', completes: true });
    expect(decideStaticPing({ mode: 'strict', stageCount: 3, stage: 1, running: [1, 2], attached: true })).toEqual({ kind: 'out_of_order', last: '2' });
  });

  test('when a flexible fork gets a stage it has, then the stage is replaced in that run', () => {
    expect(decideStaticPing({ mode: 'flexible', stageCount: 2, stage: 1, running: [1], attached: true })).toEqual({ kind: 'record', completes: false });
    expect(decideStaticPing({ mode: 'flexible', stageCount: 2, stage: 2, running: [1], attached: true })).toEqual({ kind: 'record', completes: true });
  });

  test('when a dynamic ping says start=yes with an instance_id, then it joins that run', () => {
    expect(decideDynamicPing({ mode: 'flexible', path: '1', start: true, final: false, running: [], attached: true })).toEqual({ kind: 'record', completes: false });
    expect(decideDynamicPing({ mode: 'strict', path: '1', start: true, final: false, running: ['1', '2'], attached: true })).toEqual({ kind: 'out_of_order', last: '2' });
  });
});
