import fs from 'node:fs';
import path from 'node:path';

/** `.pingback/.env`, which `npm start` writes: the servers it found or started, its secrets and the dev channel. */
export const NPM_START_ENV_FILE = path.resolve(__dirname, '..', '..', '.pingback', '.env');

/** The variables of `.pingback/.env`; throws, naming the file, when `npm start` has not written it. */
export function readNpmStartEnv(file = NPM_START_ENV_FILE): Record<string, string> {
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm start first`);
  return Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('=') && !line.trimStart().startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).replace(/^"|"$/g, '')]),
  );
}

/** Where Postgres, Redis and RabbitMQ are: the only variables a benchmark takes from `npm start`. */
const INFRASTRUCTURE_VARIABLES = ['DATABASE_URL', 'REDIS_URL', 'RABBITMQ_URL', 'RABBITMQ_MANAGEMENT_URL'] as const;

/**
 * Points @pingback/testing's getTestInfra at the servers `npm start` uses, by copying their URLs from
 * `.pingback/.env` into `env`. A variable already set wins, so a run can still aim elsewhere. The secrets and the
 * dev channel stay behind: the bench's stack makes its own.
 */
export function useNpmStartInfrastructure(env: NodeJS.ProcessEnv = process.env, file = NPM_START_ENV_FILE): void {
  const written = readNpmStartEnv(file);
  for (const name of INFRASTRUCTURE_VARIABLES) {
    const value = written[name];
    if (value && !env[name]) env[name] = value;
  }
}
