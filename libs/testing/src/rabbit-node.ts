import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';
import { portAnswers, processRuns } from './local-process';

const run = promisify(execFile);

export interface RabbitNode {
  /** amqp://guest:guest@127.0.0.1:<port> (default vhost). */
  url: string;
  nodeName: string;
  port: number;
  /** Stops the node cleanly and starts it again on the same port with the same data. */
  restart(): Promise<void>;
  /** Stops the node (if it runs) and deletes its data. */
  stop(): Promise<void>;
  /** SIGKILL, as in a crash (nothing when the node is not running). Data stays: restart() brings the node back. */
  kill(): Promise<void>;
  /** Runs `rabbitmqctl -n <this node> -q <args>` and resolves with what it printed. */
  ctl(...args: string[]): Promise<string>;
}

/**
 * A second RabbitMQ node from the Debian package, on free loopback ports with its own data, log and plugin
 * files (no plugins, so no clash with the main node's management port), for tests that restart or kill the
 * broker without disturbing the shared one. Needs root: the directories are handed to the rabbitmq user.
 */
export interface RabbitNodeOptions {
  /** Default 60 s. */
  startTimeoutMs?: number;
  /** Settings of the `rabbit` application (advanced.config), for those rabbitmq.conf cannot set. */
  rabbitSettings?: Record<string, number>;
}

export async function startRabbitNode(options: RabbitNodeOptions = {}): Promise<RabbitNode> {
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const dir = await mkdtemp(join(tmpdir(), 'pingback-rabbit-'));
  const nodeName = `pingback-test-${randomUUID().slice(0, 8)}@localhost`;
  const port = await freePort();
  const distPort = await freePort();
  const pidFile = join(dir, 'rabbitmq.pid');
  await mkdir(join(dir, 'mnesia'));
  await mkdir(join(dir, 'log'));
  await writeFile(join(dir, 'enabled_plugins'), '[].\n');
  await writeFile(join(dir, 'rabbitmq.conf'), '');
  const settings = Object.entries(options.rabbitSettings ?? {}).map(([key, value]) => `{${key}, ${value}}`);
  await writeFile(join(dir, 'advanced.config'), `[{rabbit, [${settings.join(', ')}]}].\n`);
  await run('chown', ['-R', 'rabbitmq:rabbitmq', dir]);

  const env = {
    ...process.env,
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_PID_FILE: pidFile,
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
  };
  const ctl = (...args: string[]) => run('rabbitmqctl', ['-n', nodeName, '-q', ...args], { env, timeout: startTimeoutMs });
  let running = false;

  const start = async (): Promise<void> => {
    await rm(pidFile, { force: true });
    await run('rabbitmq-server', ['-detached'], { env, timeout: startTimeoutMs });
    // `wait` blocks until the pid file appears and the node has booted.
    await ctl('wait', pidFile, '--timeout', String(Math.ceil(startTimeoutMs / 1000)));
    await waitForPort(port, startTimeoutMs);
    running = true;
  };

  const stopNode = async (): Promise<void> => {
    if (!running) return;
    running = false;
    try {
      await ctl('stop', pidFile);
    } catch {
      await killPid(pidFile);
    }
  };

  try {
    await start();
  } catch (error) {
    await killPid(pidFile).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw new Error(`RabbitMQ node ${nodeName} did not start (logs were in ${dir}/log): ${String(error)}`);
  }

  return {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    nodeName,
    port,
    async restart() {
      await stopNode();
      await start();
    },
    async kill() {
      // Only a node that runs: the pid file of one that is gone may name a process that reused its pid.
      if (!running) return;
      running = false;
      await killPid(pidFile);
    },
    async stop() {
      await stopNode();
      await rm(dir, { recursive: true, force: true });
    },
    async ctl(...args) {
      return (await ctl(...args)).stdout;
    },
  };
}

async function killPid(pidFile: string): Promise<void> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && processRuns(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await portAnswers(port)) return;
    if (Date.now() > deadline) throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
