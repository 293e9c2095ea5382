import { createPrismaClient } from '@pingback/db';
import { PrismaClient } from '../generated/prisma/client';

export const DISPATCHER_SCHEMA = 'dispatcher';

export function createDispatcherDb(connectionString: string): PrismaClient {
  return createPrismaClient(PrismaClient, { connectionString, schema: DISPATCHER_SCHEMA });
}

export type DispatcherDb = PrismaClient;
