import { defineDeadlines, defineOutbox } from '@pingback/durable';
import { DISPATCHER_SCHEMA } from './prisma';

/** The dispatcher's outbox (libs/durable): delivery events and follow-up commands, written with the state they report. */
export const dispatcherOutbox = defineOutbox({ schema: DISPATCHER_SCHEMA });

/** The dispatcher's durable clock: escalation steps. */
export const dispatcherDeadlines = defineDeadlines({ schema: DISPATCHER_SCHEMA });
