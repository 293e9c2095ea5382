/** The two things a service's runtime needs of a Prisma client: a readiness probe and the final close. */
export function prismaDatabase(client: { $queryRawUnsafe(query: string): Promise<unknown>; $disconnect(): Promise<void> }) {
  return {
    ping: () => client.$queryRawUnsafe('SELECT 1').then(() => true),
    close: () => client.$disconnect(),
  };
}
