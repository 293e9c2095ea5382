import path from 'node:path';
import { generatePrismaClient } from '../generate-client';
import { findRepoRoot, listPrismaServices } from '../service-layout';
import { runCli } from './cli-args';

// node libs/db/dist/cli/generate-all.js
// Runs `prisma generate` for every services/*/prisma/schema.prisma, offline (no engine download).
async function main(): Promise<void> {
  const repoRoot = findRepoRoot();
  const services = listPrismaServices(repoRoot);
  if (services.length === 0) console.log('no services/*/prisma/schema.prisma found');
  const results = await Promise.allSettled(services.map(({ serviceDir }) => generatePrismaClient(serviceDir)));
  let failed = 0;
  results.forEach((result, index) => {
    const { service, serviceDir } = services[index]!;
    if (result.status === 'fulfilled') {
      const generated = result.value.output.split('\n').find((line) => line.includes('Generated Prisma Client'));
      console.log(`${service}: ${generated?.replace(/^\W+/, '') ?? 'generated'} (${path.relative(repoRoot, serviceDir)})`);
    } else {
      failed += 1;
      console.error(`${service}: ${(result.reason as Error).message}`);
    }
  });
  if (failed > 0) throw new Error(`prisma generate failed for ${failed} service(s)`);
}

runCli(main);
