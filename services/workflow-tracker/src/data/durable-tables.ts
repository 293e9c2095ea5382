import { defineDeadlines, defineOutbox } from '@pingback/durable';
import { TRACKER_SCHEMA } from './prisma';

/** The tracker's outbox (libs/durable): alerts, written in the transaction that changes the state they report. */
export const trackerOutbox = defineOutbox({ schema: TRACKER_SCHEMA });

/** The tracker's durable clock: stage time-outs, grace periods, process maximums, heartbeat deadlines, alert repeats. */
export const trackerDeadlines = defineDeadlines({ schema: TRACKER_SCHEMA });
