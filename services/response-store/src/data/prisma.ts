import { createPrismaClient } from '@pingback/db';
import { PrismaClient } from '../generated/prisma/client';

export const RESPONSES_SCHEMA = 'responses';

export function createResponsesDb(connectionString: string): PrismaClient {
  return createPrismaClient(PrismaClient, { connectionString, schema: RESPONSES_SCHEMA });
}

export type ResponsesDb = PrismaClient;
