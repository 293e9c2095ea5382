import type { DeadlineHandler } from '@pingback/durable';
import type { TrackerTx } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';

/** The durable clock's handlers for stage time-outs and flexible mode's grace periods, by deadline kind. */
export const workflowClocks = (_deps: TrackerDeps): Record<string, DeadlineHandler<TrackerTx>> => ({});
