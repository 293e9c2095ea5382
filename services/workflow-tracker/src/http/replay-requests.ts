import { z } from 'zod';
import { ForkRequest } from '@pingback/contracts';
import { parseStagePath } from '../domain/workflows/stage-path';
import { MAX_TIMELINE_PAGE } from '../domain/replay/timeline';
import { wholeNumberQuery } from './query-numbers';

const StagePath = z.union([z.string(), z.number().int().positive()]).transform((value, ctx) => {
  const parsed = parseStagePath(String(value));
  if (!parsed.ok) {
    ctx.issues.push({ code: 'custom', message: parsed.problem, input: value });
    return z.NEVER;
  }
  return parsed.text;
});

/** `POST /api/instances/{id}/fork` (seed 002): the contract's body, its stage read as a stage path. */
export const ForkBody = ForkRequest.extend({ fork_from_stage: StagePath });

/** `GET /api/instances/{id}/timeline?from_step=&limit=`: a page of steps (default: the first 100). */
export const TimelineQuery = z.object({
  from_step: wholeNumberQuery(0, 999_999_999, 0, 'a step number'),
  limit: wholeNumberQuery(1, MAX_TIMELINE_PAGE, 100),
});
