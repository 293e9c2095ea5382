import type { EndpointKind, EndpointRef } from '@pingback/contracts';
import type { DisabledReason, EndpointHealth } from '../domain/endpoint-health';
import type { EndpointHealth as EndpointHealthRow, PrismaClient } from '../generated/prisma/client';
import { COUNT_FAILURE } from './endpoint-statements';

export interface CountedFailure {
  accountId: string;
  url: string;
  /** The receiver answered 410: the endpoint is disabled at once. */
  gone: boolean;
  /** PINGBACK_ENDPOINT_DISABLE_AFTER_FAILURES */
  disableAfter: number;
  at: Date;
}

/** What counting a failure did: the record as this failure left it, or that the endpoint was disabled already. */
export type CountResult = { health: EndpointHealth; disabledNow: boolean } | { health: null; disabledNow: false };

const toHealth = (row: Pick<EndpointHealthRow, 'kind' | 'id' | 'accountId' | 'url' | 'consecutiveFailures' | 'disabledAt' | 'disabledReason'>): EndpointHealth => ({
  kind: row.kind as EndpointKind,
  id: row.id,
  accountId: row.accountId,
  url: row.url,
  consecutiveFailures: row.consecutiveFailures,
  disabledAt: row.disabledAt,
  disabledReason: row.disabledReason as DisabledReason | null,
});

/** The health of registered endpoints: failures in a row, and whether each is switched off (see endpoint-statements.ts). */
export function createEndpointHealthRepository(db: PrismaClient) {
  const find = async (endpoint: EndpointRef): Promise<EndpointHealth | null> => {
    const row = await db.endpointHealth.findUnique({ where: { kind_id: { kind: endpoint.kind, id: endpoint.id } } });
    return row ? toHealth(row) : null;
  };

  return {
    find,

    /** One failed attempt (COUNT_FAILURE): `disabledNow` is true for exactly one failure per switch-off. */
    async countFailure(endpoint: EndpointRef, failure: CountedFailure): Promise<CountResult> {
      const [row] = await db.$queryRawUnsafe<EndpointHealthRow[]>(
        COUNT_FAILURE,
        endpoint.kind,
        endpoint.id,
        failure.accountId,
        failure.url,
        failure.gone,
        failure.disableAfter,
        failure.at,
      );
      if (!row) return { health: null, disabledNow: false };
      const health = toHealth(row);
      return { health, disabledNow: health.disabledAt !== null };
    },

    /**
     * Switched on again by its owner: the count starts from 0. Null when the endpoint never failed (there is nothing
     * to reset), 'foreign' when it is another account's.
     */
    async enable(endpoint: EndpointRef, accountId: string, at: Date): Promise<EndpointHealth | null | 'foreign'> {
      const found = await find(endpoint);
      if (!found) return null;
      if (found.accountId !== accountId) return 'foreign';
      await db.endpointHealth.updateMany({
        where: { kind: endpoint.kind, id: endpoint.id, accountId },
        data: { consecutiveFailures: 0, disabledAt: null, disabledReason: null, updatedAt: at },
      });
      return { ...found, consecutiveFailures: 0, disabledAt: null, disabledReason: null };
    },
  };
}

export type EndpointHealthRepository = ReturnType<typeof createEndpointHealthRepository>;
