import { createPrismaClient } from '@pingback/db';
import { PrismaClient } from '../generated/prisma/client';

export const GATEWAY_SCHEMA = 'gateway';

export function createGatewayDb(connectionString: string): PrismaClient {
  return createPrismaClient(PrismaClient, { connectionString, schema: GATEWAY_SCHEMA });
}

export type GatewayDb = PrismaClient;
