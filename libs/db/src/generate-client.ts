import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Stands in for Prisma's native schema engine, which cannot be downloaded offline. `prisma generate` only checks
 * that PRISMA_SCHEMA_ENGINE_BINARY names an existing file; the stub fails loudly if anything really runs it.
 */
export const SCHEMA_ENGINE_STUB = path.resolve(__dirname, '..', 'bin', 'schema-engine-unavailable');

// The node_modules directory holding the prisma package libs/db depends on (and, with pnpm, its dependencies).
function prismaNodeModules(): string {
  return path.dirname(path.dirname(require.resolve('prisma/package.json')));
}

/**
 * Environment for the prisma CLI: never download an engine, never phone home (checkpoint), and let a service's
 * prisma.config.ts import 'prisma/config' even when the service does not depend on prisma itself (NODE_PATH is
 * only a fallback after normal resolution).
 */
export function offlinePrismaEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...env,
    PRISMA_SCHEMA_ENGINE_BINARY: env.PRISMA_SCHEMA_ENGINE_BINARY ?? SCHEMA_ENGINE_STUB,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    NODE_PATH: [env.NODE_PATH, prismaNodeModules()].filter(Boolean).join(path.delimiter),
  };
}

/** Runs `prisma generate` for a service directory (prisma.config.ts if it has one, else prisma/schema.prisma). */
export function generatePrismaClient(serviceDir: string): Promise<{ output: string }> {
  const prismaCli = require.resolve('prisma/build/index.js');
  const config = path.join(serviceDir, 'prisma.config.ts');
  const args = fs.existsSync(config)
    ? ['generate', '--config', config]
    : ['generate', '--schema', path.join(serviceDir, 'prisma', 'schema.prisma')];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [prismaCli, ...args],
      { cwd: serviceDir, env: offlinePrismaEnv(), maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`.trim();
        if (error) reject(new Error(`prisma generate failed in ${serviceDir}:\n${output}`, { cause: error }));
        else resolve({ output });
      },
    );
  });
}
