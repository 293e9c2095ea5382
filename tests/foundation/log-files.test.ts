import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, waitFor } from '@pingback/testing';

const run = promisify(execFile);
const LIB = path.join(REPO_ROOT, 'infra', 'scripts', 'lib');
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

/**
 * Runs `npm start`'s own start_services, from infra/scripts/lib, on a stand-in service in a scratch directory: a
 * `node` script that writes one line, so no port and no real service is involved. The shell's umask is the
 * usual 022, under which a file is created readable by everyone unless the scripts see to it.
 */
async function startStandInService(root: string): Promise<void> {
  const script = `
    set -euo pipefail
    umask 022
    for part in log env-file services; do source "${LIB}/$part.sh"; done
    PINGBACK_STATE="${root}/.pingback"; ENV_FILE="$PINGBACK_STATE/.env"; PIDS_DIR="$PINGBACK_STATE/pids"; LOGS_DIR="$PINGBACK_STATE/logs"
    SERVICES=(stand-in)
    cd "${root}"
    start_services
  `;
  await run('bash', ['-c', script], { env: { PATH: process.env.PATH, HOME: process.env.HOME } });
}

describe('service logs written by the start scripts', () => {
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pingback-logs-'));
    fs.mkdirSync(path.join(root, 'services', 'stand-in', 'dist'), { recursive: true });
    fs.writeFileSync(path.join(root, 'services', 'stand-in', 'dist', 'main.js'), "console.log('stand-in service wrote this line');\n");
    fs.mkdirSync(path.join(root, '.pingback'), { mode: 0o755 });
    fs.writeFileSync(path.join(root, '.pingback', '.env'), 'LOG_LEVEL=info\n', { mode: 0o600 });
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  const logFile = () => path.join(root, '.pingback', 'logs', 'stand-in.log');

  test('when start_services starts a service, then its log is readable by the owner only (0600, in a 0700 directory)', async () => {
    await startStandInService(root);
    const content = await waitFor(() => fs.readFileSync(logFile(), 'utf8').includes('stand-in service wrote this line'), { description: 'the log line' });
    expect(content).toBe(true);
    expect(modeOf(logFile()).toString(8)).toBe('600');
    expect(modeOf(path.dirname(logFile())).toString(8)).toBe('700');
  });

  test('when an earlier run left a world-readable log, then the next start makes it private and appends to it', async () => {
    fs.mkdirSync(path.dirname(logFile()), { mode: 0o755 });
    fs.writeFileSync(logFile(), 'an earlier run\n', { mode: 0o644 });
    fs.chmodSync(logFile(), 0o644);
    await startStandInService(root);
    await waitFor(() => fs.readFileSync(logFile(), 'utf8').includes('stand-in service wrote this line'), { description: 'the log line' });
    expect(fs.readFileSync(logFile(), 'utf8')).toMatch(/^an earlier run\n/);
    expect(modeOf(logFile()).toString(8)).toBe('600');
    expect(modeOf(path.dirname(logFile())).toString(8)).toBe('700');
  });
});
