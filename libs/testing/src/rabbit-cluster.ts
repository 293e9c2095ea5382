import { randomUUID } from 'node:crypto';
import { startRabbitNode, type RabbitNode, type RabbitNodeOptions } from './rabbit-node';
import { waitFor } from './wait-for';

export interface RabbitCluster {
  /** The nodes, the first being the one the others joined. */
  nodes: RabbitNode[];
  /** A new vhost on the cluster with full permissions for guest: every node's URL for it, in node order. */
  createVhost(): Promise<{ vhost: string; urls: string[] }>;
  /** The names of the nodes `cluster_status` reports running, asked of the first node that answers. */
  runningNodes(): Promise<string[]>;
  /** Kills every node and deletes its data. The shared broker (and epmd, which it uses) is never touched. */
  stop(): Promise<void>;
}

export interface RabbitClusterOptions extends Pick<RabbitNodeOptions, 'rabbitSettings'> {
  /** Default 3. */
  size?: number;
  /** For each node's start and for the cluster to form (default 120 s: nodes start in parallel on a busy box). */
  startTimeoutMs?: number;
}

/**
 * A RabbitMQ cluster from the Debian package, beside the shared node: each node is a startRabbitNode (own name,
 * ports, data), and every node but the first joins the first (stop_app, join_cluster, start_app). They share
 * the rabbitmq user's Erlang cookie, as nodes on one host do. Resolves once `cluster_status` shows every node
 * running, so a quorum queue declared from then on gets a member on each.
 */
export async function startRabbitCluster(options: RabbitClusterOptions = {}): Promise<RabbitCluster> {
  const size = options.size ?? 3;
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const started = await Promise.allSettled(
    Array.from({ length: size }, () => startRabbitNode({ startTimeoutMs, rabbitSettings: options.rabbitSettings })),
  );
  const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  // The data is thrown away, so the nodes need no clean shutdown (which takes a CLI call and many seconds each).
  const stop = async () => {
    await Promise.allSettled(
      nodes.map(async (node) => {
        await node.kill();
        await node.stop();
      }),
    );
  };

  const runningNodes = async (): Promise<string[]> => {
    let lastError: unknown = new Error('no node to ask');
    for (const node of nodes) {
      try {
        const status = JSON.parse(await node.ctl('cluster_status', '--formatter', 'json')) as { running_nodes?: string[] };
        return status.running_nodes ?? [];
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  };

  try {
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [seed, ...joiners] = nodes as [RabbitNode, ...RabbitNode[]];
    for (const node of joiners) {
      await node.ctl('stop_app');
      await node.ctl('join_cluster', seed.nodeName);
      await node.ctl('start_app');
    }
    await waitFor(async () => (await runningNodes()).length === size, {
      timeoutMs: startTimeoutMs,
      intervalMs: 500,
      description: `${size} running nodes in cluster_status`,
    });
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    nodes,
    runningNodes,
    async createVhost() {
      const vhost = `test-cluster-${randomUUID().slice(0, 8)}`;
      const seed = nodes[0] as RabbitNode;
      await seed.ctl('add_vhost', vhost);
      await seed.ctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
      return { vhost, urls: nodes.map((node) => `${node.url}/${encodeURIComponent(vhost)}`) };
    },
    stop,
  };
}
