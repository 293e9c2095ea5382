import { createPrismaClient, type PrismaClientOptions } from '@pingback/db';
import { PrismaClient } from '../generated/prisma/client';

export const DISPATCHER_SCHEMA = 'dispatcher';

export function createDispatcherDb(connectionString: string, options: Pick<PrismaClientOptions, 'pool' | 'onCommit'> = {}): PrismaClient {
  return createPrismaClient(PrismaClient, { ...options, connectionString, schema: DISPATCHER_SCHEMA });
}

export type DispatcherDb = PrismaClient;
