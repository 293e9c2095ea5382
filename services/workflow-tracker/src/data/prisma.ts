import { createPrismaClient, type PrismaClientOptions } from '@pingback/db';
import { PrismaClient } from '../generated/prisma/client';

export const TRACKER_SCHEMA = 'tracker';

export function createTrackerDb(connectionString: string, options: Pick<PrismaClientOptions, 'pool' | 'onCommit'> = {}): PrismaClient {
  return createPrismaClient(PrismaClient, { ...options, connectionString, schema: TRACKER_SCHEMA });
}

export type TrackerDb = PrismaClient;
/** The client a transaction hands its callback. */
export type TrackerTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
