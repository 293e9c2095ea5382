import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '@pingback/testing';

const SERVICES = ['ingest-gateway', 'notification-dispatcher', 'response-store', 'workflow-tracker', 'approval-service', 'webhook-deliverer'];

/** A complete environment for every service; each test takes one variable out or spoils it. */
const COMPLETE_ENV = {
  DATABASE_URL: 'postgresql://nobody:nothing@127.0.0.1:1/none',
  REDIS_URL: 'redis://127.0.0.1:1',
  RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:1',
  PINGBACK_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
  PINGBACK_ADMIN_KEY: 'an-admin-key-long-enough',
  PINGBACK_PUBLIC_URL: 'http://localhost:8080',
  HEALTH_PORT: '0',
};

function run(service: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [path.join(REPO_ROOT, 'services', service, 'dist', 'main.js')], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

function without(name: keyof typeof COMPLETE_ENV): Record<string, string> {
  const { [name]: _removed, ...rest } = COMPLETE_ENV;
  return rest;
}

describe('configuration is checked once, at start', () => {
  test.each(SERVICES)('when DATABASE_URL is missing, then %s stops at once with one line naming it', (service) => {
    const result = run(service, without('DATABASE_URL'));
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([`${service}: config: DATABASE_URL is required`]);
  });

  test.each(SERVICES)('when RABBITMQ_URL is missing, then %s names it', (service) => {
    const result = run(service, without('RABBITMQ_URL'));
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(`${service}: config: RABBITMQ_URL is required`);
  });

  test.each(SERVICES)('when PINGBACK_SECRET_KEY is not 32 bytes of base64, then %s stops with the same one line', (service) => {
    const result = run(service, { ...COMPLETE_ENV, PINGBACK_SECRET_KEY: 'dG9vIHNob3J0' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `${service}: config: PINGBACK_SECRET_KEY is invalid: the key decodes to 9 bytes, not 32: ` +
        'it must be 32 random bytes in base64 (for example the output of `openssl rand -base64 32`)',
    );
  });

  test('when a variable is malformed, then the line names it and says why', () => {
    const result = run('ingest-gateway', { ...COMPLETE_ENV, HEALTH_PORT: 'not-a-port' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^ingest-gateway: config: HEALTH_PORT is invalid: /);
  });

  test('when the gateway has no admin key, then it names PINGBACK_ADMIN_KEY and prints no secret', () => {
    const result = run('ingest-gateway', without('PINGBACK_ADMIN_KEY'));
    expect(result.stderr.trim()).toBe('ingest-gateway: config: PINGBACK_ADMIN_KEY is required');
    expect(result.stderr + result.stdout).not.toContain(COMPLETE_ENV.PINGBACK_SECRET_KEY);
  });
});
