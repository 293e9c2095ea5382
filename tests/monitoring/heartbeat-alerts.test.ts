import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { waitFor } from '@pingback/testing';
import { createChannel, request } from '../support/api';
import { startReceiver, type ReceivedRequest, type Receiver } from '../support/receiver';
import { MONITORING_SERVICES, startStack, type Stack } from '../support/stack';

const TRACKER = 'workflow-tracker';
const sh = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Notification {
  title: string;
  body: string;
  respond_url: string;
  data: { alert: { id: string; event: string }; subject: { type: string; id: string; name: string }; state_url: string };
}
interface AlertRecord {
  id: string;
  event: string;
  subject: { type: string; id: string };
  repeats: number;
  created_at: string;
  acknowledged_at: string | null;
}
interface MonitorView {
  id: string;
  state: string;
  paused: boolean;
}

let stack: Stack;
let phones: Receiver;
const arrivedAt = new Map<ReceivedRequest, number>();

// Two tracker processes (and two of every other consumer) share the clock, as the acceptance asks.
beforeAll(async () => {
  stack = await startStack({ PINGBACK_DEADLINE_INTERVAL_MS: '200', PINGBACK_OUTBOX_INTERVAL_MS: '200' }, MONITORING_SERVICES, { copies: 2 });
  phones = await startReceiver((req) => {
    arrivedAt.set(req, Date.now());
    return { status: 204 };
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await phones?.close();
});

/** An account whose one alert channel posts to the phone at /{tag}. */
async function account() {
  const tag = Math.random().toString(36).slice(2, 10);
  const { apiKey, channelId } = await createChannel(stack, [{ type: 'webhook', url: `${phones.url}/${tag}` }]);
  return { apiKey, channelId, tag, auth: { authorization: `Bearer ${apiKey}` } };
}

/** The alerts the phone received for one monitor, of one event. */
const received = (monitorId: string, event: string) =>
  phones.requests.filter((r) => {
    const n = r.json as Notification | undefined;
    return n?.data?.subject?.id === monitorId && n.data.alert.event === event;
  });

async function createMonitor(auth: Record<string, string>, body: Record<string, unknown>): Promise<MonitorView> {
  const created = await request<MonitorView>(`${stack.url}/api/heartbeats`, { body, headers: auth });
  expect(created.status).toBe(201);
  return created.body;
}

const alertsOf = async (auth: Record<string, string>, monitorId: string) =>
  (await request<{ data: AlertRecord[] }>(`${stack.url}/api/alerts?subject_id=${monitorId}`, { headers: auth })).body.data;

const stateOf = async (auth: Record<string, string>, monitorId: string) => (await request<MonitorView>(`${stack.url}/api/heartbeats/${monitorId}`, { headers: auth })).body.state;

describe('heartbeat clocks with two tracker processes', () => {
  test('when a heartbeat (2 s interval, 1 s grace) is pinged once then silent, then exactly one down alert comes, no sooner than 3 s after the ping; the next ping brings exactly one up alert', async () => {
    const { apiKey, channelId, auth } = await account();
    const monitor = await createMonitor(auth, { name: 'nightly-backup', interval_seconds: 2, grace_seconds: 1, alert_channels: [channelId] });
    const sentAt = Date.now();
    const ping = await request<{ received_at: string }>(`${stack.url}/hbk/${monitor.id}?key=${apiKey}`);
    expect(ping).toMatchObject({ status: 200, body: { status: 'success', target_id: monitor.id, state: 'up', paused: false } });

    const [down] = await waitFor(() => received(monitor.id, 'monitor.down').length > 0 && received(monitor.id, 'monitor.down'), { timeoutMs: 20_000, description: 'the down alert' });
    expect(arrivedAt.get(down!)! - sentAt).toBeGreaterThanOrEqual(3_000);
    expect(down!.json).toMatchObject({
      title: 'nightly-backup is down',
      body: expect.stringContaining('Last ping: '),
      data: { alert: { event: 'monitor.down' }, subject: { type: 'monitor', id: monitor.id, name: 'nightly-backup' }, state_url: `${stack.url}/api/heartbeats/${monitor.id}` },
    });
    expect(await stateOf(auth, monitor.id)).toBe('down');
    const recorded = (await alertsOf(auth, monitor.id)).filter((a) => a.event === 'monitor.down');
    expect(recorded).toHaveLength(1);
    expect(Date.parse(recorded[0]!.created_at) - Date.parse(ping.body.received_at)).toBeGreaterThanOrEqual(3_000);

    // Both processes sweep the clock every 200 ms: still one.
    await sleep(2_000);
    expect(received(monitor.id, 'monitor.down')).toHaveLength(1);

    const again = await request(`${stack.url}/hhk/${monitor.id}?key=${apiKey}`);
    expect(again).toMatchObject({ status: 200, body: { state: 'up' } });
    // Paused, it cannot go down again within the wait below (no clock, no alert); the up alert is already recorded.
    await request(`${stack.url}/api/heartbeats/${monitor.id}/pause`, { method: 'POST', headers: auth });
    const [up] = await waitFor(() => received(monitor.id, 'monitor.up').length > 0 && received(monitor.id, 'monitor.up'), { timeoutMs: 15_000, description: 'the up alert' });
    expect(up!.json).toMatchObject({ title: 'nightly-backup is up again' });
    await sleep(1_500);
    expect(received(monitor.id, 'monitor.up')).toHaveLength(1);
    expect(received(monitor.id, 'monitor.down')).toHaveLength(1);
  });

  test("when a ping says status=1, or the seed's cron recipe runs after a failing job, then a failure alert comes at once; status=0 raises none", async () => {
    const { apiKey, channelId, auth } = await account();
    const monitor = await createMonitor(auth, { name: 'nightly-backup', interval_seconds: 3600, grace_seconds: 600, alert_channels: [channelId] });

    expect(await request(`${stack.url}/hbk/${monitor.id}?key=${apiKey}&status=0`)).toMatchObject({ status: 200, body: { state: 'up' } });
    expect(await alertsOf(auth, monitor.id)).toEqual([]);

    expect(await request(`${stack.url}/hbk/${monitor.id}?key=${apiKey}&status=1`)).toMatchObject({ status: 200, body: { state: 'down' } });
    // Recorded with the ping, in its transaction: no grace period, no clock.
    expect((await alertsOf(auth, monitor.id)).map((a) => a.event)).toEqual(['monitor.failed']);
    const [failed] = await waitFor(() => received(monitor.id, 'monitor.failed').length > 0 && received(monitor.id, 'monitor.failed'), { timeoutMs: 15_000, description: 'the failure alert' });
    expect(failed!.json).toMatchObject({ title: 'nightly-backup reported a failure (exit code 1)' });

    // crontab: `0 2 * * * /path/to/job.sh; curl -fsS "https://…/hhk/MONITOR_ID?key=API_KEY&status=$?" > /dev/null`
    const recipe = (job: string) => `${job}; curl -fsS "${stack.url}/hhk/${monitor.id}?key=${apiKey}&status=$?" > /dev/null`;
    await sh('sh', ['-c', recipe('false')]);
    await waitFor(() => received(monitor.id, 'monitor.failed').length === 2, { timeoutMs: 15_000, description: 'a second failure alert (every failure ping alerts)' });
    await sh('sh', ['-c', recipe('true')]);
    expect(await stateOf(auth, monitor.id)).toBe('up');
    await waitFor(() => received(monitor.id, 'monitor.up').length === 1, { timeoutMs: 15_000, description: 'the recovery alert' });

    await sh('sh', ['-c', recipe('true')]);
    await sleep(1_000);
    expect((await alertsOf(auth, monitor.id)).map((a) => a.event)).toEqual(['monitor.up', 'monitor.failed', 'monitor.failed']);
    expect(received(monitor.id, 'monitor.failed')).toHaveLength(2);
    expect(received(monitor.id, 'monitor.up')).toHaveLength(1);
  });

  test('when a down alert repeats every second, then it repeats until acknowledged through its respond link, and then stops', async () => {
    const { apiKey, channelId, auth } = await account();
    const monitor = await createMonitor(auth, { name: 'db-backup', interval_seconds: 1, grace_seconds: 0, repeat_alert_seconds: 1, alert_channels: [channelId] });
    await request(`${stack.url}/hbk/${monitor.id}?key=${apiKey}`);

    const told = await waitFor(() => received(monitor.id, 'monitor.down').length >= 3 && received(monitor.id, 'monitor.down'), { timeoutMs: 20_000, description: 'the down alert and two repeats' });
    const notifications = told.map((r) => r.json as Notification);
    expect(new Set(notifications.map((n) => n.data.alert.id)).size).toBe(1);
    // Two dispatchers and two deliverers: the reminders may arrive in any order.
    expect(notifications.map((n) => n.body).filter((body) => body.startsWith('Reminder 1, not acknowledged yet:'))).toHaveLength(1);

    const acknowledged = await request(notifications[0]!.respond_url, { body: { triggered_by: 'acknowledge', responses: {} } });
    expect(acknowledged.status).toBe(201);
    const [alert] = await waitFor(
      async () => {
        const downs = (await alertsOf(auth, monitor.id)).filter((a) => a.event === 'monitor.down');
        return downs[0]?.acknowledged_at ? downs : undefined;
      },
      { timeoutMs: 15_000, description: 'the alert to be acknowledged' },
    );
    expect(alert!.repeats).toBeGreaterThanOrEqual(2);
    // Whatever was told before the acknowledgement arrives; nothing after it.
    await waitFor(() => received(monitor.id, 'monitor.down').length === 1 + alert!.repeats, { timeoutMs: 10_000, description: 'the repeats told before the acknowledgement' });
    await sleep(3_000);
    expect(received(monitor.id, 'monitor.down')).toHaveLength(1 + alert!.repeats);
    expect((await alertsOf(auth, monitor.id)).find((a) => a.id === alert!.id)!.repeats).toBe(alert!.repeats);
    expect(await stateOf(auth, monitor.id)).toBe('down');
  });

  test('when the monitor a heartbeat depends on is down, then the heartbeat goes down and up without an alert of its own; once the dependency is up, it alerts again', async () => {
    const { apiKey, channelId, auth } = await account();
    const router = await createMonitor(auth, { name: 'core-router', interval_seconds: 3600, grace_seconds: 600, alert_channels: [channelId] });
    const edge = await createMonitor(auth, { name: 'edge-box', interval_seconds: 1, grace_seconds: 0, depends_on: router.id, alert_channels: [channelId] });
    expect(edge).toMatchObject({ depends_on: router.id });

    expect(await request(`${stack.url}/hbk/${router.id}?key=${apiKey}&status=fail`)).toMatchObject({ status: 200, body: { state: 'down' } });
    await request(`${stack.url}/hbk/${edge.id}?key=${apiKey}`);
    await waitFor(async () => (await stateOf(auth, edge.id)) === 'down', { timeoutMs: 15_000, description: 'the dependent heartbeat to be down' });
    expect(await request(`${stack.url}/hbk/${edge.id}?key=${apiKey}`)).toMatchObject({ status: 200, body: { state: 'up' } });
    await waitFor(async () => (await stateOf(auth, edge.id)) === 'down', { timeoutMs: 15_000, description: 'the dependent heartbeat to be down again' });
    await sleep(1_000);
    expect(await alertsOf(auth, edge.id)).toEqual([]);
    expect(phones.requests.filter((r) => (r.json as Notification).data?.subject?.id === edge.id)).toEqual([]);

    // The control: with the dependency up again, the dependent tells the down it is in (held back until now), and
    // then alerts on its own: up, and down again after the same silence.
    await request(`${stack.url}/hbk/${router.id}?key=${apiKey}`);
    await waitFor(() => received(edge.id, 'monitor.down').length === 1, { timeoutMs: 15_000, description: 'the down alert held back' });
    await request(`${stack.url}/hbk/${edge.id}?key=${apiKey}`);
    await waitFor(() => received(edge.id, 'monitor.up').length === 1, { timeoutMs: 15_000, description: "the dependent's own up alert" });
    await waitFor(() => received(edge.id, 'monitor.down').length === 2, { timeoutMs: 15_000, description: "the dependent's own down alert" });
    await request(`${stack.url}/api/heartbeats/${edge.id}/pause`, { method: 'POST', headers: auth });
    expect((await alertsOf(auth, edge.id)).map((a) => a.event)).toEqual(['monitor.down', 'monitor.up', 'monitor.down']);
  });

  test('when a heartbeat goes down while the monitor it depends on is down, then its down alert comes exactly once when that monitor recovers, none before', async () => {
    const { apiKey, channelId, auth } = await account();
    const ping = (id: string) => request<{ state: string }>(`${stack.url}/hbk/${id}?key=${apiKey}`);
    const par3 = await createMonitor(auth, { name: 'par3', interval_seconds: 2, grace_seconds: 1, alert_channels: [channelId] });
    const chi3 = await createMonitor(auth, { name: 'chi3', interval_seconds: 2, grace_seconds: 1, depends_on: par3.id, alert_channels: [channelId] });
    // Goes down (and is told so) while par3 is still up: its channels know, so par3's recovery tells them nothing new.
    const told = await createMonitor(auth, { name: 'told', interval_seconds: 1, grace_seconds: 0, depends_on: par3.id, alert_channels: [channelId] });
    // Like chi3, with a repeat: the held-back alert, once told, repeats.
    const loud = await createMonitor(auth, { name: 'loud', interval_seconds: 2, grace_seconds: 1, repeat_alert_seconds: 1, depends_on: par3.id, alert_channels: [channelId] });

    await Promise.all([ping(par3.id), ping(told.id)]);
    await sleep(1_000);
    await Promise.all([ping(chi3.id), ping(loud.id)]);
    await waitFor(() => received(told.id, 'monitor.down').length === 1, { timeoutMs: 15_000, description: "told's own down alert (par3 still up)" });
    await waitFor(async () => (await Promise.all([par3, chi3, loud].map((m) => stateOf(auth, m.id)))).every((state) => state === 'down'), {
      timeoutMs: 20_000,
      description: 'par3, chi3 and loud to be down',
    });
    await waitFor(() => received(par3.id, 'monitor.down').length === 1, { timeoutMs: 15_000, description: "par3's down alert" });
    await sleep(1_500);
    for (const held of [chi3, loud]) {
      expect(await alertsOf(auth, held.id)).toEqual([]);
      expect(phones.requests.filter((r) => (r.json as Notification).data?.subject?.id === held.id)).toEqual([]);
    }

    expect(await request(`${stack.url}/api/heartbeats/${par3.id}`, { method: 'PATCH', body: { interval_seconds: 3600 }, headers: auth })).toMatchObject({ status: 200 });
    expect(await ping(par3.id)).toMatchObject({ status: 200, body: { state: 'up' } });
    // Recorded in the recovery's transaction: already there when the ping is answered.
    const [alert] = await alertsOf(auth, chi3.id);
    expect(await alertsOf(auth, chi3.id)).toEqual([expect.objectContaining({ event: 'monitor.down', title: 'chi3 is down', body: expect.stringContaining('went down while par3, which it depends on, was down') })]);
    const [down] = await waitFor(() => received(chi3.id, 'monitor.down').length > 0 && received(chi3.id, 'monitor.down'), { timeoutMs: 15_000, description: "chi3's down alert" });
    expect(down!.json).toMatchObject({ title: 'chi3 is down', data: { alert: { id: alert!.id, event: 'monitor.down' }, subject: { type: 'monitor', id: chi3.id, name: 'chi3' } } });
    await waitFor(() => received(par3.id, 'monitor.up').length === 1, { timeoutMs: 15_000, description: "par3's up alert" });
    const reminders = await waitFor(() => received(loud.id, 'monitor.down').length >= 2 && received(loud.id, 'monitor.down'), { timeoutMs: 15_000, description: "loud's down alert and a repeat" });
    expect(new Set(reminders.map((r) => (r.json as Notification).data.alert.id)).size).toBe(1);
    await request(`${stack.url}/api/heartbeats/${loud.id}/pause`, { method: 'POST', headers: auth });

    await sleep(1_500);
    expect(received(chi3.id, 'monitor.down')).toHaveLength(1);
    expect((await alertsOf(auth, chi3.id)).map((a) => a.event)).toEqual(['monitor.down']);
    expect(received(par3.id, 'monitor.up')).toHaveLength(1);
    expect(received(par3.id, 'monitor.down')).toHaveLength(1);
    expect((await alertsOf(auth, told.id)).map((a) => a.event)).toEqual(['monitor.down']);
    expect(received(told.id, 'monitor.down')).toHaveLength(1);
    expect(await stateOf(auth, chi3.id)).toBe('down');
  });

  test('when the down monitor a heartbeat depends on is resumed or deleted, then the down alert it held back comes once', async () => {
    const { apiKey, channelId, auth } = await account();
    const ping = (id: string, status = 'ok') => request(`${stack.url}/hbk/${id}?key=${apiKey}&status=${status}`);
    const pairs = await Promise.all(
      ['resumed', 'deleted'].map(async (how) => {
        const parent = await createMonitor(auth, { name: `${how}-parent`, interval_seconds: 3600, grace_seconds: 600, alert_channels: [channelId] });
        const child = await createMonitor(auth, { name: `${how}-child`, interval_seconds: 1, grace_seconds: 0, depends_on: parent.id, alert_channels: [channelId] });
        return { how, parent, child };
      }),
    );
    for (const { parent, child } of pairs) {
      expect(await ping(parent.id, 'fail')).toMatchObject({ status: 200, body: { state: 'down' } });
      await ping(child.id);
    }
    await waitFor(async () => (await Promise.all(pairs.map(({ child }) => stateOf(auth, child.id)))).every((state) => state === 'down'), { timeoutMs: 15_000, description: 'the children to be down' });
    const [resumed, deleted] = pairs as [(typeof pairs)[0], (typeof pairs)[0]];
    expect(await request(`${stack.url}/api/heartbeats/${resumed.parent.id}/pause`, { method: 'POST', headers: auth })).toMatchObject({ status: 200, body: { state: 'down', paused: true } });
    await sleep(1_000);
    for (const { child } of pairs) expect(await alertsOf(auth, child.id)).toEqual([]);

    expect(await request(`${stack.url}/api/heartbeats/${resumed.parent.id}/resume`, { method: 'POST', headers: auth })).toMatchObject({ status: 200, body: { state: 'new' } });
    expect((await request(`${stack.url}/api/heartbeats/${deleted.parent.id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    for (const { how, child } of pairs) {
      await waitFor(() => received(child.id, 'monitor.down').length === 1, { timeoutMs: 15_000, description: `the down alert of the child whose parent was ${how}` });
      expect((received(child.id, 'monitor.down')[0]!.json as Notification).body).toContain(`${how}-parent is ${how}`);
    }
    await sleep(1_500);
    for (const { child } of pairs) {
      expect(received(child.id, 'monitor.down')).toHaveLength(1);
      expect((await alertsOf(auth, child.id)).map((a) => a.event)).toEqual(['monitor.down']);
    }
  });

  // Last: it kills and restarts the trackers.
  test('when every tracker process is killed with SIGKILL while a heartbeat deadline is pending and started again, then the down alert still comes, exactly once', async () => {
    const { apiKey, channelId, auth } = await account();
    const monitor = await createMonitor(auth, { name: 'nightly-backup', interval_seconds: 2, grace_seconds: 1, alert_channels: [channelId] });
    expect(await request(`${stack.url}/hbk/${monitor.id}?key=${apiKey}`)).toMatchObject({ status: 200, body: { state: 'up' } });

    const trackers = stack.copies(TRACKER);
    for (const tracker of trackers) tracker.kill('SIGKILL');
    await Promise.all(trackers.map((tracker) => tracker.waitForExit()));
    // Late at +2 s, down at +3 s: both pass while no tracker runs.
    await sleep(4_000);
    expect(received(monitor.id, 'monitor.down')).toHaveLength(0);
    await Promise.all(trackers.map((_, copy) => stack.start(TRACKER, {}, copy)));

    await waitFor(() => received(monitor.id, 'monitor.down').length > 0, { timeoutMs: 30_000, description: 'the down alert after the restart' });
    await sleep(2_500);
    expect(received(monitor.id, 'monitor.down')).toHaveLength(1);
    expect((await alertsOf(auth, monitor.id)).filter((a) => a.event === 'monitor.down')).toHaveLength(1);
    expect(await stateOf(auth, monitor.id)).toBe('down');
  });
});
