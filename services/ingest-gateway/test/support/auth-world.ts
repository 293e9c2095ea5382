import { randomBytes } from 'node:crypto';
import { createLogger } from '@pingback/observability';
import { connectRedis, createRedis, type Redis } from '@pingback/redis';
import { createKeyring, internalCallCredential, type Keyring } from '@pingback/security';
import { isolateTestFile, type IsolatedTestFile } from '@pingback/testing';
import { Counter, Registry } from 'prom-client';
import { createCredentialFailures, type CredentialFailures } from '../../src/cache/credential-failures';
import { createDashboardSessionRepository, type DashboardSessionRepository } from '../../src/data/dashboard-session.repository';
import { createAccountRepository, type AccountRepository } from '../../src/data/account.repository';
import { createChannelRepository, type ChannelRepository } from '../../src/data/channel.repository';
import { createGatewayDb, type GatewayDb } from '../../src/data/prisma';
import { createAccount } from '../../src/domain/accounts';

/**
 * What the gateway's auth families need, all real: the gateway's tables in this test file's own database, its
 * own Redis prefix, a keyring. Nothing else of the gateway runs.
 */
export interface AuthWorld {
  db: GatewayDb;
  redis: Redis;
  keyring: Keyring;
  accounts: AccountRepository;
  dashboardSessions: DashboardSessionRepository;
  now: () => Date;
  internalCallCredential: string;
  channels: ChannelRepository;
  credentialFailures: CredentialFailures;
  failOpen: Counter<'operation'>;
  adminKey: string;
  /** A new account; its first API key. */
  newAccount(name?: string): Promise<{ id: string; apiKey: string }>;
  close(): Promise<void>;
}

export async function createAuthWorld(options: { failuresPerMinute?: number; redisUrl?: string; now?: () => number } = {}): Promise<AuthWorld> {
  const isolated: IsolatedTestFile = await isolateTestFile();
  const logger = createLogger('gateway-auth-test', process.env.TEST_LOG_LEVEL ?? 'silent');
  const db = createGatewayDb(isolated.databaseUrl);
  const redis = createRedis(options.redisUrl ?? isolated.redisUrl, { keyPrefix: isolated.redisPrefix, logger });
  await connectRedis(redis);
  const keyring = createKeyring(randomBytes(32).toString('base64'));
  const accounts = createAccountRepository(db);
  const failOpen = new Counter({ name: 'fail_open_total', help: 'test', labelNames: ['operation'] as const, registers: [new Registry()] });
  return {
    db,
    redis,
    keyring,
    accounts,
    dashboardSessions: createDashboardSessionRepository(db),
    now: () => new Date(),
    internalCallCredential: internalCallCredential(keyring),
    channels: createChannelRepository(db),
    credentialFailures: createCredentialFailures({ redis, logger, failOpen, limitPerMinute: options.failuresPerMinute ?? 20, ...(options.now ? { now: options.now } : {}) }),
    failOpen,
    adminKey: `admin_${randomBytes(16).toString('hex')}`,
    async newAccount(name = 'Test account') {
      const account = await createAccount({ accounts, keyring }, name);
      return { id: account.id, apiKey: account.api_key };
    },
    async close() {
      // disconnect(), not quit(): a test may have stopped this Redis, and quit() would wait for it.
      redis.disconnect();
      await db.$disconnect();
      await isolated.cleanup();
    },
  };
}
