import type { DeadlineHandler } from '@pingback/durable';
import type { TrackerTx } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';

/** The durable clock's handlers for a run's maximum duration, by deadline kind. */
export const processClocks = (_deps: TrackerDeps): Record<string, DeadlineHandler<TrackerTx>> => ({});
