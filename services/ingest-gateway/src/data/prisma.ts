import { createPrismaClient, type PrismaClientOptions } from '@pingback/db';
import { PrismaClient } from '../generated/prisma/client';

export const GATEWAY_SCHEMA = 'gateway';

export function createGatewayDb(connectionString: string, options: Pick<PrismaClientOptions, 'pool' | 'onCommit'> = {}): PrismaClient {
  return createPrismaClient(PrismaClient, { ...options, connectionString, schema: GATEWAY_SCHEMA });
}

export type GatewayDb = PrismaClient;
