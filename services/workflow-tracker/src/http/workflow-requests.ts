import { ListQuery, plainText, TrackerPublicId } from '@pingback/contracts';
import { z } from 'zod';
import { invalidField } from '../domain/domain-errors';

/** Longest stage name or agent code (CONTRACT-style caps on every string a user sends). */
const TEXT_CHARS = 200;

/** Workflow ids are chosen by users, so the list's cursor is any workflow id (the last one of the previous page). */
export const WorkflowListQuery = ListQuery.extend({ cursor: TrackerPublicId.optional() });

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
