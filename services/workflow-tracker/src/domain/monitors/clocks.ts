import type { DeadlineHandler } from '@pingback/durable';
import type { TrackerTx } from '../../data/prisma';
import type { TrackerDeps } from '../../tracker-deps';

/** The durable clock's handlers for heartbeat deadlines (late, down) and repeated down alerts, by deadline kind. */
export const monitorClocks = (_deps: TrackerDeps): Record<string, DeadlineHandler<TrackerTx>> => ({});
