import { defineDeadlines, defineOutbox } from '@pingback/durable';
import { APPROVALS_SCHEMA } from './prisma';

/** approval-service's outbox: reviewers' messages and decision events, written in the transaction that made them. */
export const approvalsOutbox = defineOutbox({ schema: APPROVALS_SCHEMA });

/** approval-service's durable clock: each approval's time-out and its reminder at 80 %. */
export const approvalDeadlines = defineDeadlines({ schema: APPROVALS_SCHEMA });
