import { readinessProbeOf } from './readiness-probe';

/** The two things a service's runtime needs of a Prisma client: a readiness probe and the final close. */
export function prismaDatabase(client: { $queryRawUnsafe(query: string): Promise<unknown>; $disconnect(): Promise<void> }) {
  const probe = readinessProbeOf(client);
  return {
    ping: probe ?? (() => client.$queryRawUnsafe('SELECT 1').then(() => true)),
    close: () => client.$disconnect(),
  };
}
