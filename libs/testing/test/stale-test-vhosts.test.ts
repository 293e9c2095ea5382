import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { createIsolatedVhost, deleteStaleTestVhosts, getTestInfra, managementApi, managementUrlFor } from '../src';

/** The pid of a process that has ended: its vhost is what a killed test run leaves behind. */
function pidOfAnEndedProcess(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

async function vhostAnswers(baseUrl: string, vhost: string): Promise<boolean> {
  const url = new URL(baseUrl);
  url.pathname = `/${encodeURIComponent(vhost)}`;
  try {
    const connection = await amqp.connect(url.toString());
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

describe('deleteStaleTestVhosts', () => {
  it('deletes the vhosts of ended test processes and keeps those of running ones', async () => {
    const infra = await getTestInfra();
    const managementUrl = infra.rabbitManagementUrl ?? managementUrlFor(infra.rabbitUrl);
    const api = managementApi(managementUrl);
    const live = await createIsolatedVhost(infra.rabbitUrl, managementUrl);
    const staleName = `test-${pidOfAnEndedProcess()}-${randomUUID().slice(0, 8)}`;
    await api('PUT', `/vhosts/${encodeURIComponent(staleName)}`, {});
    try {
      const deleted = await deleteStaleTestVhosts(managementUrl);

      expect(deleted).toContain(staleName);
      expect(deleted).not.toContain(live.vhost);
      expect(await vhostAnswers(infra.rabbitUrl, live.vhost)).toBe(true);
    } finally {
      await live.delete();
      await api('DELETE', `/vhosts/${encodeURIComponent(staleName)}`);
    }
  });
});
