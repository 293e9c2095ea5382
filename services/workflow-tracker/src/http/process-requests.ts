import { AgentCode, TRACKER_ID, type PatchHookRequest, type ReplaceHookRequest } from '@pingback/contracts';
import { validationFailedFields } from '@pingback/http';
import type { Request } from 'express';
import type { JsonObject } from '../domain/monitors/record-ping';
import type { PingOutcome } from '../domain/monitors/ping-status';
import type { HookSettings } from '../domain/process-hooks/manage-hooks';
import { bodyObject, checkedMetadata, queryValue, statusOutcome } from './monitor-requests';

export const hookSettings = (body: ReplaceHookRequest): HookSettings => ({
  name: body.name,
  maxDurationMs: body.max_duration_seconds * 1000,
  alertChannels: body.alert_channels ?? [],
});

export function hookChanges(body: PatchHookRequest): Partial<HookSettings> {
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.max_duration_seconds !== undefined ? { maxDurationMs: body.max_duration_seconds * 1000 } : {}),
    ...(body.alert_channels !== undefined ? { alertChannels: body.alert_channels } : {}),
  };
}

const invalid = (path: string, message: string) => validationFailedFields([{ path, message }]);

/** `agent` from the query (first) or the JSON body: who ran it (≤ 200 characters, no control characters). */
function agentOf(req: Request, body: JsonObject): string | null {
  const value = queryValue(req, 'agent') ?? body.agent;
  if (value === undefined || value === null) return null;
  const parsed = AgentCode.safeParse(value);
  if (!parsed.success) throw invalid('agent', parsed.error.issues[0]?.message ?? 'must be a string');
  return parsed.data;
}

/** The body's `metadata`: a JSON object, kept with the run. */
function metadataOf(body: JsonObject): JsonObject | null {
  const value = body.metadata;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('metadata', 'must be a JSON object');
  return checkedMetadata(value, 'metadata');
}

export function startRequest(req: Request): { agent: string | null; metadata: JsonObject | null } {
  const body = bodyObject(req.body);
  return { agent: agentOf(req, body), metadata: metadataOf(body) };
}

export function finishRequest(req: Request): { runId: string | null; agent: string | null; metadata: JsonObject | null; status: PingOutcome } {
  const body = bodyObject(req.body);
  const runId = queryValue(req, 'run_id') ?? body.run_id;
  if (runId !== undefined && runId !== null && (typeof runId !== 'string' || !TRACKER_ID.test(runId))) {
    throw invalid('run_id', 'must be the run_id a start answered');
  }
  return { runId: (runId as string | undefined) ?? null, agent: agentOf(req, body), metadata: metadataOf(body), status: statusOutcome(req, body) };
}
