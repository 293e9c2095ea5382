import { PrismaPg } from '@prisma/adapter-pg';

export interface PrismaClientOptions {
  connectionString: string;
  /** The service's Postgres schema: every generated query names it, so no search_path is needed. */
  schema: string;
  /** Pool size; pg's default (10) when left out. */
  max?: number;
}

/** A generated PrismaClient class (services/<svc>/src/generated/prisma/client.ts). */
export type PrismaClientClass<T> = new (options: { adapter: PrismaPg }) => T;

/** A service's Prisma client on a pg pool, pointed at the service's own schema. */
export function createPrismaClient<T>(PrismaClient: PrismaClientClass<T>, options: PrismaClientOptions): T {
  const { connectionString, schema, max } = options;
  const adapter = new PrismaPg(max === undefined ? { connectionString } : { connectionString, max }, { schema });
  return new PrismaClient({ adapter });
}
