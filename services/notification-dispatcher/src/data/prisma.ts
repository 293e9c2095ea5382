import { createPrismaClient, type PrismaClientOptions } from '@pingback/db';
import { PrismaClient, type Prisma } from '../generated/prisma/client';

export const DISPATCHER_SCHEMA = 'dispatcher';

export function createDispatcherDb(connectionString: string, options: Pick<PrismaClientOptions, 'pool' | 'onCommit'> = {}): PrismaClient {
  return createPrismaClient(PrismaClient, { ...options, connectionString, schema: DISPATCHER_SCHEMA });
}

export type DispatcherDb = PrismaClient;

/** The client a transaction's callback is given. */
export type DispatcherTx = Prisma.TransactionClient;
