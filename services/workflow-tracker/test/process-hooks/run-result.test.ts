import { runResult } from '../../src/domain/process-hooks/run-result';

const ok = { ok: true } as const;

describe("a finished run's result", () => {
  test("when the finish carries the seed's metadata (status success), then the run succeeded", () => {
    expect(runResult(ok, { status: 'success', duration_ms: 45000 })).toEqual({ result: 'succeeded' });
    expect(runResult(ok, null)).toEqual({ result: 'succeeded' });
    expect(runResult(ok, { status: 'partial', exit_code: 0 })).toEqual({ result: 'succeeded' });
  });

  test('when the metadata says failure, failed or error, or a non-zero exit code, then the run failed with the reason', () => {
    expect(runResult(ok, { status: 'failed' })).toEqual({ result: 'failed', reason: 'status "failed"' });
    expect(runResult(ok, { status: 'ERROR' })).toEqual({ result: 'failed', reason: 'status "ERROR"' });
    expect(runResult(ok, { status: 3 })).toEqual({ result: 'failed', reason: 'exit code 3' });
    expect(runResult(ok, { exit_code: 1 })).toEqual({ result: 'failed', reason: 'exit code 1' });
  });

  test('when the finish itself says status=1, then the run failed', () => {
    expect(runResult({ ok: false, exitCode: 1 }, { status: 'success' })).toEqual({ result: 'failed', reason: 'exit code 1' });
  });
});
