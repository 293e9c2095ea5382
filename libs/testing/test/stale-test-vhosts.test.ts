import { spawnSync } from 'node:child_process';
import amqp from 'amqplib';
import { createIsolatedVhost, deleteStaleTestVhosts, getTestInfra, managementUrlFor } from '../src';

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
    const live = await createIsolatedVhost(infra.rabbitUrl, managementUrl);
    const stale = await createIsolatedVhost(infra.rabbitUrl, managementUrl);
    const staleName = `test-${pidOfAnEndedProcess()}-${stale.vhost.slice(-8)}`;
    const base = new URL(managementUrl);
    const credentials = `${decodeURIComponent(base.username || 'guest')}:${decodeURIComponent(base.password || 'guest')}`;
    const authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    await fetch(`${base.protocol}//${base.host}/api/vhosts/${encodeURIComponent(staleName)}`, {
      method: 'PUT',
      headers: { authorization, 'content-type': 'application/json' },
      body: '{}',
    });
    try {
      const deleted = await deleteStaleTestVhosts(managementUrl);

      expect(deleted).toContain(staleName);
      expect(deleted).not.toContain(live.vhost);
      expect(await vhostAnswers(infra.rabbitUrl, live.vhost)).toBe(true);
    } finally {
      await live.delete();
      await stale.delete();
    }
  });
});
