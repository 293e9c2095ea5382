import { createPrismaClient, type PrismaClientOptions } from '@pingback/db';
import { PrismaClient } from '../generated/prisma/client';

export const RESPONSES_SCHEMA = 'responses';

export function createResponsesDb(connectionString: string, options: Pick<PrismaClientOptions, 'pool' | 'onCommit'> = {}): PrismaClient {
  return createPrismaClient(PrismaClient, { ...options, connectionString, schema: RESPONSES_SCHEMA });
}

export type ResponsesDb = PrismaClient;
