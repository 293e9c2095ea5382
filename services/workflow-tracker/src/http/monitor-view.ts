import type { MonitorPingView, MonitorView } from '@pingback/contracts';
import type { MonitorRow } from '../domain/monitors/monitor-row';

const iso = (at: Date | null) => at?.toISOString() ?? null;

/** A heartbeat monitor as the API shows it. `ping_url` is where to ping it (add `?key=` or send the key another way). */
export const monitorView = (monitor: MonitorRow, publicUrl: string): MonitorView => ({
  id: monitor.id,
  name: monitor.name,
  interval_seconds: monitor.intervalMs === null ? null : monitor.intervalMs / 1000,
  cron: monitor.cron,
  // Only a cron schedule has a zone: an interval monitor shows null, so its view can be PUT back as it is.
  timezone: monitor.cron ? monitor.timezone : null,
  grace_seconds: monitor.graceMs / 1000,
  state: monitor.state,
  paused: monitor.paused,
  last_ping_at: iso(monitor.lastPingAt),
  next_expected_at: iso(monitor.expectedAt),
  repeat_alert_seconds: monitor.repeatAlertMs === null ? null : monitor.repeatAlertMs / 1000,
  depends_on: monitor.dependsOn,
  alert_channels: monitor.alertChannels,
  ping_url: new URL(`/hbk/${monitor.id}`, publicUrl).toString(),
  created_at: monitor.createdAt.toISOString(),
  updated_at: monitor.updatedAt.toISOString(),
});

export const pingView = (ping: { id: string; status: string; metadata: unknown; receivedAt: Date }): MonitorPingView => ({
  id: ping.id,
  status: ping.status,
  // Stored as the JSON object the ping carried (checkedMetadata), or null.
  metadata: (ping.metadata ?? null) as MonitorPingView['metadata'],
  received_at: ping.receivedAt.toISOString(),
});
