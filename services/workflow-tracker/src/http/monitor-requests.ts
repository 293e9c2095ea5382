import { ListQuery, TRACKER_ID, TrackerPublicId, type PatchMonitorRequest, type ReplaceMonitorRequest } from '@pingback/contracts';
import { notFound, validationFailedFields } from '@pingback/http';
import type { Request } from 'express';
import type { MonitorSettings } from '../domain/monitors/manage-monitors';
import { MAX_METADATA_BYTES } from '../domain/monitors/monitor-row';
import { PING_STATUS_HELP, pingOutcome, type PingOutcome } from '../domain/monitors/ping-status';
import type { JsonObject } from '../domain/monitors/record-ping';

/** A path's id: one that cannot exist (bad characters, too long) is simply not found. */
export function pathId(value: unknown, what: string): string {
  if (typeof value !== 'string' || !TRACKER_ID.test(value)) throw notFound(what);
  return value;
}

/** Lists of objects with chosen ids page by id (alphabetical), so the cursor is any public id. */
export const PublicIdListQuery = ListQuery.extend({ cursor: TrackerPublicId.optional() });

export function monitorSettings(body: ReplaceMonitorRequest): MonitorSettings {
  return {
    name: body.name,
    // A zone left out stays undefined (a cron schedule then runs in UTC): an interval given one is refused.
    schedule: {
      intervalMs: body.interval_seconds == null ? null : body.interval_seconds * 1000,
      cron: body.cron ?? null,
      ...(body.timezone != null ? { timezone: body.timezone } : {}),
    },
    graceMs: body.grace_seconds * 1000,
    alertChannels: body.alert_channels ?? [],
    repeatAlertMs: body.repeat_alert_seconds == null ? null : body.repeat_alert_seconds * 1000,
    dependsOn: body.depends_on ?? null,
  };
}

export function monitorChanges(body: PatchMonitorRequest): Partial<MonitorSettings> {
  const changes: Partial<MonitorSettings> = {};
  if (body.name !== undefined) changes.name = body.name;
  if (body.interval_seconds !== undefined || body.cron !== undefined || body.timezone != null) {
    changes.schedule = {
      ...(body.interval_seconds != null ? { intervalMs: body.interval_seconds * 1000 } : {}),
      ...(body.cron != null ? { cron: body.cron } : {}),
      ...(body.timezone != null ? { timezone: body.timezone } : {}),
    };
  }
  if (body.grace_seconds !== undefined) changes.graceMs = body.grace_seconds * 1000;
  if (body.alert_channels !== undefined) changes.alertChannels = body.alert_channels;
  if (body.repeat_alert_seconds !== undefined) changes.repeatAlertMs = body.repeat_alert_seconds === null ? null : body.repeat_alert_seconds * 1000;
  if (body.depends_on !== undefined) changes.dependsOn = body.depends_on;
  return changes;
}

const invalid = (path: string, message: string) => validationFailedFields([{ path, message }]);

/** A ping's JSON body: none, or an object (a GET has none). */
export function bodyObject(body: unknown): JsonObject {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid('', 'the JSON body must be an object');
  return body as JsonObject;
}

/** One value of a query parameter (a repeated one is refused), or undefined. */
export function queryValue(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(name, `give ${name} once`);
  return value;
}

/** Metadata kept with a ping or a run: an object of at most MAX_METADATA_BYTES as JSON. */
export function checkedMetadata(value: JsonObject, path: string): JsonObject | null {
  if (Object.keys(value).length === 0) return null;
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_METADATA_BYTES) throw invalid(path, `must be at most ${MAX_METADATA_BYTES} bytes as JSON`);
  return value;
}

/** A `status` from the query (first) or the JSON body, as a heartbeat or a finish reads it. */
export function statusOutcome(req: Request, body: JsonObject): PingOutcome {
  const status = queryValue(req, 'status') ?? body.status;
  const outcome = pingOutcome(status);
  if (!outcome) throw invalid('status', PING_STATUS_HELP);
  return outcome;
}

/** `/hbk/{id}`: `status` from the query or the body; the body (without the key, with its status) is the metadata. */
export function pingRequest(req: Request): { outcome: PingOutcome; metadata: JsonObject | null } {
  const body = bodyObject(req.body);
  return { outcome: statusOutcome(req, body), metadata: checkedMetadata(body, '') };
}
