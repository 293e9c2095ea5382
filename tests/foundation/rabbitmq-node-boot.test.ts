import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, portAnswers, REPO_ROOT, waitFor } from '@pingback/testing';

const run = promisify(execFile);
const openFilesLimit = (pid: number) => /^Max open files\s+(\S+)/m.exec(fs.readFileSync(`/proc/${pid}/limits`, 'utf8'))?.[1];
const LIB = path.join(REPO_ROOT, 'infra', 'scripts', 'lib');

/**
 * Real: `npm start`'s own debian_start_rabbitmq, from infra/scripts/lib, booting a node of Debian's
 * rabbitmq-server on free ports beside the one the tests use. The first boot is made to hang (SIGSTOP, as a
 * node stuck recovering a vhost hangs), with the boot deadline shortened by PINGBACK_RABBITMQ_BOOT_SECONDS.
 */
// Long enough for the fresh node's boot while the rest of the suite loads the machine (3–5 s when idle).
const BOOT_SECONDS = 45;

describe('the scripts’ own RabbitMQ node', () => {
  let root: string;
  let ports: { amqp: number; management: number; distribution: number };
  const node = `pingback-boot-${randomUUID().slice(0, 8)}@localhost`;
  const dataDir = () => path.join(root, '.pingback', 'rabbitmq');

  const shell = (command: string) => `
    set -euo pipefail
    for part in log probe started-servers debian-rabbitmq; do source "${LIB}/$part.sh"; done
    PINGBACK_ROOT="${root}"; PINGBACK_STATE="${root}/.pingback"; STARTED_SERVERS_FILE="$PINGBACK_STATE/started-servers"
    RABBITMQ_NODE=${node}; RABBITMQ_AMQP_PORT=${ports.amqp}; RABBITMQ_MANAGEMENT_PORT=${ports.management}
    RABBITMQ_DISTRIBUTION_PORT=${ports.distribution}; DEFAULT_RABBITMQ_URL=amqp://guest:guest@127.0.0.1:${ports.amqp}
    ${command}
  `;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pingback-rabbit-boot-'));
    // The node runs as the rabbitmq user, which must reach its data directory inside the checkout.
    fs.chmodSync(root, 0o755);
    ports = { amqp: await freePort(), management: await freePort(), distribution: await freePort() };
  });

  afterAll(async () => {
    await run('bash', ['-c', shell(`rabbitmq_node_stop "${dataDir()}"`)]).catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
  }, 90_000);

  test('when its first boot hangs past the deadline, then the node is killed, its data kept aside, and a fresh node answers', async () => {
    // What an earlier run left in the node's data: it must be kept, not deleted.
    fs.mkdirSync(path.join(dataDir(), 'mnesia'), { recursive: true });
    fs.writeFileSync(path.join(dataDir(), 'mnesia', 'left-by-an-earlier-run'), 'queues\n');
    const script = spawn('bash', ['-c', shell('debian_start_rabbitmq')], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PINGBACK_RABBITMQ_BOOT_SECONDS: String(BOOT_SECONDS) },
    });
    let output = '';
    script.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    script.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => script.on('exit', resolve));

    const pidFile = path.join(dataDir(), 'rabbitmq.pid');
    const hung = await waitFor(() => fs.existsSync(pidFile) && Number(fs.readFileSync(pidFile, 'utf8').trim()), {
      timeoutMs: 60_000,
      intervalMs: 20,
      description: 'the first node’s pid file',
    });
    process.kill(hung, 'SIGSTOP');

    expect(await exited).toBe(0);
    expect(output).toContain(`did not boot within ${BOOT_SECONDS}s`);
    const aside = fs.readdirSync(dataDir()).filter((name) => name.startsWith('mnesia.stuck-'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataDir(), aside[0]!, 'left-by-an-earlier-run'), 'utf8')).toBe('queues\n');
    expect(fs.existsSync(path.join(dataDir(), 'mnesia', 'left-by-an-earlier-run'))).toBe(false);
    expect(() => process.kill(hung, 0)).toThrow();
    expect(await portAnswers(ports.amqp)).toBe(true);
    expect(fs.readFileSync(path.join(root, '.pingback', 'started-servers'), 'utf8')).toContain(`debian:rabbitmq-node:${dataDir()}`);
    // Not `su`'s 1024, past which three stacks' quorum queues stall every new connection.
    const fresh = Number(fs.readFileSync(pidFile, 'utf8').trim());
    expect(openFilesLimit(fresh)).toBe((await run('bash', ['-c', 'ulimit -Hn'])).stdout.trim());
  }, 180_000);
});
