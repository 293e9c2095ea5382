import { ListQuery, plainText } from '@pingback/contracts';
import { z } from 'zod';
import { MAX_ALERT_CHANNELS } from '../domain/alert-channels';
import { invalidField } from '../domain/domain-errors';
import { WORKFLOW_ID } from '../domain/workflows/workflow-records';

/** Longest name, stage name, label or agent code (CONTRACT-style caps on every string a user sends). */
const TEXT_CHARS = 200;
const MAX_STAGES = 100;
/** A stage time-out or grace period: from a second to a week. */
const MAX_SECONDS = 604_800;

const WorkflowId = z.string().regex(WORKFLOW_ID, 'must be 1 to 64 letters, digits, _ or -');
const Name = plainText().trim().min(1).max(TEXT_CHARS);
const Seconds = z.number().int().min(1).max(MAX_SECONDS);
const Stages = z.array(z.object({ name: Name })).min(1).max(MAX_STAGES);
const AlertChannels = z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a channel id (ch_…)')).max(MAX_ALERT_CHANNELS);
const Kind = z.enum(['static', 'dynamic']);
// No whitespace or control character anywhere: a URL has none, and a stored one must be the one that is sent.
// eslint-disable-next-line no-control-regex
const EventsUrl = z.string().min(1).max(2_048).regex(/^[^\s\u0000-\u001f\u007f-\u009f]+$/, 'must be a URL without spaces or control characters');
const Mode = z.enum(['strict', 'flexible']);

/** `POST /api/workflows`. Unknown fields are ignored. */
export const CreateWorkflowBody = z
  .object({
    id: WorkflowId.optional(),
    name: Name,
    type: Kind.default('static'),
    // Flexible by default: the seed's plain curl examples carry no agent, and strict mode requires one.
    validation_mode: Mode.default('flexible'),
    stages: Stages.optional(),
    stage_timeout_seconds: Seconds.nullable().optional(),
    grace_period_seconds: Seconds.nullable().optional(),
    alert_channels: AlertChannels.default([]),
    events_url: EventsUrl.nullable().default(null),
  })
  .check((ctx) => {
    const body = ctx.value;
    if (body.type === 'static' && body.stages === undefined) {
      ctx.issues.push({ code: 'custom', path: ['stages'], message: `is required for a static workflow: 1 to ${MAX_STAGES} stages, each { "name" }`, input: body.stages });
    }
    if (body.type === 'dynamic' && body.stages !== undefined) {
      ctx.issues.push({ code: 'custom', path: ['stages'], message: 'must be absent: a dynamic workflow learns its stages from its pings', input: body.stages });
    }
  });
export type CreateWorkflowBody = z.infer<typeof CreateWorkflowBody>;

/** `PUT|PATCH /api/workflows/{id}`: any of the fields; null clears a time-out or grace period. */
export const UpdateWorkflowBody = z.object({
  id: WorkflowId.optional(),
  name: Name.optional(),
  type: Kind.optional(),
  validation_mode: Mode.optional(),
  stages: Stages.optional(),
  stage_timeout_seconds: Seconds.nullable().optional(),
  grace_period_seconds: Seconds.nullable().optional(),
  alert_channels: AlertChannels.optional(),
  events_url: EventsUrl.nullable().optional(),
});
export type UpdateWorkflowBody = z.infer<typeof UpdateWorkflowBody>;

/** Workflow ids are chosen by users, so the list's cursor is any workflow id (the last one of the previous page). */
export const WorkflowListQuery = ListQuery.extend({ cursor: WorkflowId.optional() });

/** An optional label from the query (agent, stagename): empty means absent; stored trimmed. */
const optionalLabel = () =>
  plainText()
    .max(TEXT_CHARS)
    .optional()
    .transform((value) => value?.trim() || null);

/** `start=yes`, `final=yes` (also true/1; no/false/0/empty are no). */
const YesNo = z
  .preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value), z.enum(['yes', 'no', 'true', 'false', '1', '0', '']).optional())
  .transform((value) => value === 'yes' || value === 'true' || value === '1');

/** `/shk/{id}?stage=N&agent=…`: the stage from the query (the JSON body is the stage's payload). */
export const StaticPingQuery = z.object({
  // At most nine digits and no leading zero: a number we can hold, written one way.
  stage: z.string().regex(/^[1-9][0-9]{0,8}$/, 'must be a stage number: 1, 2, 3…').transform(Number),
  agent: optionalLabel(),
  instance_id: z.string().optional(),
});

/** `/dhk/{id}?stagePath=P&start=yes&final=yes&stagename=…&agent=…` (`stage` is a synonym of `stagePath`). */
export const DynamicPingQuery = z.object({
  stagePath: z.string().optional(),
  stage: z.string().optional(),
  start: YesNo,
  final: YesNo,
  stagename: optionalLabel(),
  agent: optionalLabel(),
  instance_id: z.string().optional(),
});

/** The stage path named by `stagePath` or its synonym `stage` (both given, they must agree). */
export function stagePathParameter(query: { stagePath?: string | undefined; stage?: string | undefined }): { field: 'stagePath' | 'stage'; text: string } {
  if (query.stagePath !== undefined && query.stage !== undefined && query.stagePath !== query.stage) {
    throw invalidField('stage', 'names another stage than stagePath: send one of them');
  }
  if (query.stagePath !== undefined) return { field: 'stagePath', text: query.stagePath };
  if (query.stage !== undefined) return { field: 'stage', text: query.stage };
  throw invalidField('stagePath', 'is required: a stage path such as 1, 2.1 or 3.4.2');
}
