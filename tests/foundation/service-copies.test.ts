import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, waitFor } from '@pingback/testing';

const run = promisify(execFile);
const LIB = path.join(REPO_ROOT, 'infra', 'scripts', 'lib');

/**
 * Runs `npm start`'s and `npm stop`'s own functions from infra/scripts/lib on two stand-in services in a scratch
 * directory: `edge` runs once, `worker` is a copied service. Each stand-in writes its HEALTH_PORT to its log and
 * then idles, binding no port, so nothing here touches what other tests or a real `npm start` use.
 */
function scripts(root: string, body: string) {
  const script = `
    set -euo pipefail
    for part in log env-file services; do source "${LIB}/$part.sh"; done
    PINGBACK_STATE="${root}/.pingback"; ENV_FILE="$PINGBACK_STATE/.env"; PIDS_DIR="$PINGBACK_STATE/pids"; LOGS_DIR="$PINGBACK_STATE/logs"
    SERVICES=(edge worker)
    COPIED_SERVICES=(worker)
    cd "${root}"
    ${body}
  `;
  return run('bash', ['-c', script], { env: { PATH: process.env.PATH, HOME: process.env.HOME } });
}

const runningPid = (root: string, instance: string, service: string): number | undefined => {
  const pid = Number(fs.readFileSync(path.join(root, '.pingback', 'pids', `${instance}.pid`), 'utf8'));
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`services/${service}/dist/main.js`) ? pid : undefined;
  } catch {
    return undefined;
  }
};

describe('npm start -- --copies N', () => {
  let root: string;
  const started: number[] = [];

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pingback-copies-'));
    for (const service of ['edge', 'worker']) {
      fs.mkdirSync(path.join(root, 'services', service, 'dist'), { recursive: true });
      fs.writeFileSync(
        path.join(root, 'services', service, 'dist', 'main.js'),
        "console.log(`health port ${process.env.HEALTH_PORT}`);\nsetInterval(() => {}, 60_000);\n",
      );
    }
    fs.mkdirSync(path.join(root, '.pingback'));
    fs.writeFileSync(path.join(root, '.pingback', '.env'), 'LOG_LEVEL=info\n', { mode: 0o600 });
  });
  afterEach(() => {
    for (const pid of started.splice(0)) if (standInRuns(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** Whether a stand-in of this test still runs as `pid` (a pid can be reused once its process stopped). */
  const standInRuns = (pid: number): boolean => {
    try {
      return fs.readlinkSync(`/proc/${pid}/cwd`) === root;
    } catch {
      return false;
    }
  };

  const logOf = (instance: string) => {
    const file = path.join(root, '.pingback', 'logs', `${instance}.log`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  };

  test('when two copies start, then each copy of a copied service has its own pid, log and health port, and the others run once', async () => {
    await scripts(root, 'set_copies 2; start_services');
    expect(fs.readdirSync(path.join(root, '.pingback', 'pids')).sort()).toEqual(['edge.pid', 'worker-2.pid', 'worker.pid']);
    for (const [instance, service] of [['edge', 'edge'], ['worker', 'worker'], ['worker-2', 'worker']] as const) {
      started.push(await waitFor(() => runningPid(root, instance, service), { description: `${instance} running` }));
    }
    await waitFor(() => logOf('worker-2').includes('health port'), { description: 'the copies to write their ports' });
    await waitFor(() => logOf('worker').includes('health port') && logOf('edge').includes('health port'), { description: 'the first copies to write theirs' });
    // The first copy keeps its service's port (the one RESPONSE_STORE_URL and the like name), the next is 10 above.
    expect(logOf('edge')).toContain('health port 9101');
    expect(logOf('worker')).toContain('health port 9102');
    expect(logOf('worker-2')).toContain('health port 9112');

    const { stdout } = await scripts(root, 'set_copies 2; print_service_states');
    expect(stdout.split('\n').filter(Boolean).map((line) => line.trim().split(/\s+/)[0])).toEqual(['edge', 'worker', 'worker-2']);
  });

  test('when npm stop stops the services, then every copy of the last start stops, though stop knows no copy count', async () => {
    await scripts(root, 'set_copies 3; start_services');
    const instances = [['edge', 'edge'], ['worker', 'worker'], ['worker-2', 'worker'], ['worker-3', 'worker']] as const;
    for (const [instance, service] of instances) {
      started.push(await waitFor(() => runningPid(root, instance, service), { description: `${instance} running` }));
    }

    const { stdout } = await scripts(root, 'stop_services');

    expect(stdout).toContain('stopping worker-3');
    expect(started.filter(standInRuns)).toEqual([]);
    expect(fs.readdirSync(path.join(root, '.pingback', 'pids'))).toEqual([]);
  });

  test.each(['0', '10', 'two', '-1'])('when the copy count is %s, then start stops at once with one line naming the allowed range', async (count) => {
    await expect(scripts(root, `set_copies ${count}`)).rejects.toMatchObject({ code: 1, stderr: `error: copies must be a whole number from 1 to 9, not '${count}'\n` });
  });

  test('when npm start gets an argument it does not know, or --copies without a number, then it stops before doing anything', async () => {
    const start = (...args: string[]) => run('bash', [path.join(REPO_ROOT, 'infra', 'scripts', 'start.sh'), ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME } });
    await expect(start('--copeis', '2')).rejects.toMatchObject({ code: 1, stderr: "error: unknown argument '--copeis' (usage: npm start [-- --copies N])\n" });
    await expect(start('--copies')).rejects.toMatchObject({ code: 1, stderr: 'error: --copies needs a number\n' });
    await expect(start('--copies=12')).rejects.toMatchObject({ code: 1, stderr: "error: copies must be a whole number from 1 to 9, not '12'\n" });
  });
});
