import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../src';

const COMPOSE_FILE = path.join(REPO_ROOT, 'docker-compose.yml');
const composeInstalled = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;

function compose(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync('docker-compose', ['-f', COMPOSE_FILE, ...args], {
    encoding: 'utf8',
    // Compose interpolates ${…} from the environment: an empty one, so the file must hold up on its own.
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
}

if (!composeInstalled) {
  console.warn('docker-compose is not installed, so docker-compose.yml is not validated (npm test installs it)');
}

(composeInstalled ? describe : describe.skip)('docker-compose.yml', () => {
  it('when docker-compose validates it, then it passes', () => {
    const result = compose('config', '-q');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('when its services are listed, then the servers, the migration and all six services are there', () => {
    const services = compose('config', '--services').stdout.split('\n').filter(Boolean).sort();
    expect(services).toEqual(
      [
        'postgres',
        'redis',
        'rabbitmq',
        'migrate',
        'ingest-gateway',
        'notification-dispatcher',
        'response-store',
        'workflow-tracker',
        'approval-service',
        'webhook-deliverer',
      ].sort(),
    );
  });
});
