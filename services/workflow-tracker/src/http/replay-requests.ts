import { z } from 'zod';
import { checkedJsonObject } from '@pingback/contracts';
import { parseStagePath } from '../domain/workflows/stage-path';
import { WORKFLOW_ID } from '../domain/workflows/workflow-records';
import { MAX_TIMELINE_PAGE } from '../domain/replay/timeline';
import { wholeNumberQuery } from './query-numbers';

const MAX_MODIFIED_STAGES = 100;

const StagePath = z.union([z.string(), z.number().int().positive()]).transform((value, ctx) => {
  const parsed = parseStagePath(String(value));
  if (!parsed.ok) {
    ctx.issues.push({ code: 'custom', message: parsed.problem, input: value });
    return z.NEVER;
  }
  return parsed.text;
});

/** `{ "<stage path>": { <keys that replace the stage payload's> } }`. */
const PayloadModifications = z
  .record(
    z.string().refine((path) => parseStagePath(path).ok, 'must be a stage path such as 1, 2.1 or 3.4.2'),
    checkedJsonObject(z.record(z.string(), z.unknown()), { maxDepth: 32, maxBytes: 64 * 1024 }),
  )
  .refine((modifications) => Object.keys(modifications).length <= MAX_MODIFIED_STAGES, `at most ${MAX_MODIFIED_STAGES} stages`)
  .default({});

/** `POST /api/instances/{id}/fork` (seed 002). */
export const ForkBody = z.object({ fork_from_stage: StagePath, payload_modifications: PayloadModifications });

/** `POST /api/instances/{id}/rerun` (seed 002). */
export const RerunBody = z.object({ payload_modifications: PayloadModifications });

const InstanceId = z.string().regex(WORKFLOW_ID, 'must be an instance id');

/** `POST /api/instances/compare` (seed 002). */
export const CompareBody = z.object({ instance_a: InstanceId, instance_b: InstanceId });

/** `GET /api/instances/{id}/timeline?from_step=&limit=`: a page of steps (default: the first 100). */
export const TimelineQuery = z.object({
  from_step: wholeNumberQuery(0, 999_999_999, 0, 'a step number'),
  limit: wholeNumberQuery(1, MAX_TIMELINE_PAGE, 100),
});
