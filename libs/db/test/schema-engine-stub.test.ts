import { execFile } from 'node:child_process';
import { SCHEMA_ENGINE_STUB } from '../src/generate-client';

// Real: the stub script that stands in for Prisma's native schema engine.
test('when anything runs the schema engine stub, then it exits 1 and says the engine is not available offline', async () => {
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(SCHEMA_ENGINE_STUB, ['--version'], (error, _stdout, stderr) => {
      resolve({ code: error ? (error as { code?: number }).code ?? null : 0, stderr });
    });
  });

  expect(result.code).toBe(1);
  expect(result.stderr).toContain('schema engine not available offline');
});
