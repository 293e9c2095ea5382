import { createPrismaClient, type PrismaClientOptions } from '@pingback/db';
import { PrismaClient } from '../generated/prisma/client';

export const APPROVALS_SCHEMA = 'approvals';

export function createApprovalsDb(connectionString: string, options: Pick<PrismaClientOptions, 'pool' | 'onCommit'> = {}): PrismaClient {
  return createPrismaClient(PrismaClient, { ...options, connectionString, schema: APPROVALS_SCHEMA });
}

export type ApprovalsDb = PrismaClient;
/** The client a transaction hands its callback. */
export type ApprovalsTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
