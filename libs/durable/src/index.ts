export * from './sql-client';
export { pgDatabase } from './pg-database';
export type { WakeLoop } from './wake-loop';
export * from './outbox/outbox-table';
export * from './outbox/outbox-relay';
export * from './deadlines/deadline-table';
export * from './deadlines/deadline-sweeper';
export * from './deadlines/retry-delay';
