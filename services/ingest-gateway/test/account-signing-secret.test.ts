import { randomBytes, randomUUID } from 'node:crypto';
import { createBroker, topology, type Broker } from '@pingback/broker';
import { envelopeFor, EXCHANGES, publications, webhookDeliverPublications } from '@pingback/contracts';
import { createLogger } from '@pingback/observability';
import type { RunningService } from '@pingback/runtime';
import { createKeyring, decryptSecret, internalCallCredential, standardSignature, type Keyring, type Resolver } from '@pingback/security';
import { isolateTestFile, jsonClient, serviceEnv, tapExchange, waitFor, type IsolatedTestFile, type JsonClient, type MessageTap } from '@pingback/testing';
import { verifyWebhook } from '../../../tests/seed-clients/verify-webhook.cjs';
import { loadConfig as loadDelivererConfig } from '../../webhook-deliverer/src/config';
import { startDeliverer } from '../../webhook-deliverer/src/start-deliverer';
import { startReceiver, type ReceivedRequest, type Receiver } from '../../webhook-deliverer/test/support/receiver';
import { loadConfig } from '../src/config';
import { createAccountRepository } from '../src/data/account.repository';
import { createGatewayDb } from '../src/data/prisma';
import { accountSigningSecrets } from '../src/domain/account-signing-secret';
import { startGateway } from '../src/start-gateway';

// Real: Postgres, Redis, RabbitMQ (own vhost, tapped for signer.rotated), the gateway and webhook-deliverer in this
// process (the deliverer asks the gateway's internal port for secrets), a node:http receiver.

const ADMIN_KEY = `admin_${randomBytes(16).toString('hex')}`;
const WHSEC = /^whsec_[A-Za-z0-9+/]{43}=$/;

/** Knows only `localhost`: no test resolves a real name. */
const loopbackResolver: Resolver = async (hostname) => {
  if (hostname === 'localhost') return ['127.0.0.1'];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

let isolated: IsolatedTestFile;
let keyring: Keyring;
let events: MessageTap;
let gateway: RunningService;
let deliverer: RunningService;
let publisher: Broker;
let receiver: Receiver;
let api: JsonClient;
let internal: JsonClient;

beforeAll(async () => {
  isolated = await isolateTestFile();
  const env = serviceEnv(isolated, { PORT: '0', PINGBACK_ADMIN_KEY: ADMIN_KEY, RESPONSE_STORE_URL: 'http://127.0.0.1:9', DISPATCHER_URL: 'http://127.0.0.1:9' });
  keyring = createKeyring(env.PINGBACK_SECRET_KEY!);
  events = await tapExchange(isolated.rabbitUrl, EXCHANGES.events);
  gateway = await startGateway(loadConfig(env));
  deliverer = await startDeliverer(loadDelivererConfig({ ...env, GATEWAY_INTERNAL_URL: `http://127.0.0.1:${gateway.healthPort}` }), { resolver: loopbackResolver });
  publisher = createBroker({ url: isolated.rabbitUrl, topology, logger: createLogger('account-secret-test', process.env.TEST_LOG_LEVEL ?? 'silent') });
  await publisher.start();
  receiver = await startReceiver();
  api = jsonClient(`http://127.0.0.1:${gateway.publicPort}`);
  internal = jsonClient(`http://127.0.0.1:${gateway.healthPort}`, { 'x-pingback-internal': internalCallCredential(keyring) });
});

afterAll(async () => {
  await receiver?.close();
  await publisher?.stop();
  await deliverer?.stop('test finished');
  await gateway?.stop('test finished');
  await events?.close();
  await isolated?.cleanup();
});

async function newAccount(): Promise<{ id: string; apiKey: string }> {
  const created = await api('POST', '/admin/accounts', { name: 'Approvals' }, { authorization: `Bearer ${ADMIN_KEY}` });
  return { id: created.body.id as string, apiKey: created.body.api_key as string };
}

const bearer = (apiKey: string) => ({ authorization: `Bearer ${apiKey}` });
const readSecret = (apiKey: string) => api('GET', '/api/account/signing-secret', undefined, bearer(apiKey));
const rotateSecret = (apiKey: string) => api('POST', '/api/account/rotate-secret', undefined, bearer(apiKey));

/** The secrets the gateway's internal port says sign for the account now, decrypted, current first. */
async function signingSecretsOf(accountId: string): Promise<string[]> {
  const reply = await internal('GET', `/internal/signers/account/${accountId}`);
  expect(reply.status).toBe(200);
  return (reply.body.secrets as string[]).map((secret) => decryptSecret(keyring, secret));
}

/** Publishes a webhook.deliver signed by the account, as approval-service will, and returns the POST received. */
async function deliverSignedBy(accountId: string): Promise<ReceivedRequest> {
  const webhookId = `hook_${randomUUID()}`;
  const body = { type: 'approval.decided', approval_id: `apr_${randomUUID()}`, decision: 'approved' };
  const payload = {
    webhookId,
    purpose: 'callback' as const,
    url: receiver.url,
    body,
    signer: { kind: 'account', id: accountId },
    subject: { accountId, kind: 'approval', id: body.approval_id, refs: {} },
    endpoint: null,
  };
  await publisher.publishEnvelope(webhookDeliverPublications.callback, envelopeFor(webhookDeliverPublications.callback, payload));
  return waitFor(() => receiver.requests.find((request) => request.headers['webhook-id'] === webhookId), { description: `the POST of ${webhookId}` });
}

/** The `v1,` entries of webhook-signature the given secrets make for this request, in order. */
function standardEntries(request: ReceivedRequest, secrets: string[]): string[] {
  const [id, timestamp] = [String(request.headers['webhook-id']), Number(request.headers['webhook-timestamp'])];
  return secrets.map((secret) => standardSignature(secret, id, timestamp, request.body));
}

/** How many signers the deliverer's cache has forgotten on signer.rotated, by its /metrics. */
async function forgottenSigners(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${deliverer.healthPort}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith('pingback_signer_cache_events_total{') && candidate.includes('event="forgotten"'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe("ingest-gateway: the account's signing secret", () => {
  test('when the secret is first read, then a whsec_ secret is made, not cached on the way, and every later read returns it', async () => {
    const account = await newAccount();

    const first = await readSecret(account.apiKey);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.body).toEqual({ signing_secret: expect.stringMatching(WHSEC) });
    expect((await readSecret(account.apiKey)).body).toEqual(first.body);
    expect(await signingSecretsOf(account.id)).toEqual([first.body.signing_secret]);
  });

  test('when several first reads race, then they all get the same secret', async () => {
    const account = await newAccount();

    const replies = await Promise.all(Array.from({ length: 6 }, () => readSecret(account.apiKey)));

    expect(replies.map((reply) => reply.status)).toEqual(Array(6).fill(200));
    expect(new Set(replies.map((reply) => reply.body.signing_secret)).size).toBe(1);
    expect(await signingSecretsOf(account.id)).toEqual([replies[0]!.body.signing_secret]);
  });

  test('when two first uses read "no secret yet" at the same moment, then the conditional update keeps one and both return it', async () => {
    const account = await newAccount();
    const db = createGatewayDb(isolated.databaseUrl);
    const real = createAccountRepository(db);
    // Both reads finish before either writes: the interleaving that would make two secrets without the condition.
    let reads = 0;
    let release = () => {};
    const bothRead = new Promise<void>((resolve) => (release = resolve));
    const accounts = {
      ...real,
      findSigningSecrets: async (accountId: string) => {
        const stored = await real.findSigningSecrets(accountId);
        reads += 1;
        if (reads === 2) release();
        if (reads <= 2) await bothRead;
        return stored;
      },
    };
    try {
      const [first, second] = await Promise.all([accountSigningSecrets({ accounts, keyring }, account.id), accountSigningSecrets({ accounts, keyring }, account.id)]);

      const plain = [first, second].map((secrets) => decryptSecret(keyring, secrets!.signingSecret));
      expect(plain[0]).toBe(plain[1]);
      expect((await readSecret(account.apiKey)).body.signing_secret).toBe(plain[0]);
    } finally {
      await db.$disconnect();
    }
  });

  test('when the secret is rotated, then a new one is returned, the old one still signs beside it, and deliverers are told', async () => {
    const account = await newAccount();
    const old = (await readSecret(account.apiKey)).body.signing_secret as string;

    const rotated = await rotateSecret(account.apiKey);

    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    expect(rotated.body).toEqual({ signing_secret: expect.stringMatching(WHSEC) });
    expect(rotated.body.signing_secret).not.toBe(old);
    expect((await readSecret(account.apiKey)).body.signing_secret).toBe(rotated.body.signing_secret);
    expect(await signingSecretsOf(account.id)).toEqual([rotated.body.signing_secret, old]);
    const event = await events.next((message) => message.type === publications.signerRotated.type && message.payload.id === account.id, 'signer.rotated');
    expect(event).toMatchObject({ type: 'signer.rotated', version: 1, payload: { kind: 'account', id: account.id } });
  });

  test('when an account that never read its secret rotates it, then the new one signs alone', async () => {
    const account = await newAccount();

    const rotated = await rotateSecret(account.apiKey);

    expect(rotated.status).toBe(200);
    expect(await signingSecretsOf(account.id)).toEqual([rotated.body.signing_secret]);
  });

  test("when another account reads and rotates its secret, then it gets its own and the first account's is untouched", async () => {
    const [mine, theirs] = [await newAccount(), await newAccount()];
    const mySecret = (await readSecret(mine.apiKey)).body.signing_secret;

    const theirSecret = (await readSecret(theirs.apiKey)).body.signing_secret;
    await rotateSecret(theirs.apiKey);

    expect(theirSecret).not.toBe(mySecret);
    expect((await readSecret(mine.apiKey)).body.signing_secret).toBe(mySecret);
    expect(await signingSecretsOf(mine.id)).toEqual([mySecret]);
  });

  test('when no API key or a wrong one is sent, then 401 and no secret', async () => {
    for (const headers of [{}, bearer('pbk_not_a_key')]) {
      const read = await api('GET', '/api/account/signing-secret', undefined, headers);
      const rotate = await api('POST', '/api/account/rotate-secret', undefined, headers);
      for (const reply of [read, rotate]) {
        expect(reply.status).toBe(401);
        expect(reply.body).toMatchObject({ error: 'unauthorized' });
        expect(reply.body).not.toHaveProperty('signing_secret');
      }
    }
  });

  test('when webhook-deliverer asks for an account that never read its secret, then one is made and its owner later reads the same', async () => {
    const account = await newAccount();

    const [secret] = await signingSecretsOf(account.id);

    expect(secret).toMatch(WHSEC);
    expect((await readSecret(account.apiKey)).body.signing_secret).toBe(secret);
  });

  test('when webhook-deliverer asks for an unknown account, then 404', async () => {
    const reply = await internal('GET', `/internal/signers/account/acc_${randomUUID()}`);

    expect(reply.status).toBe(404);
    expect(reply.body).toMatchObject({ error: 'not_found' });
  });

  test("when a POST signed by the account is delivered, then it verifies with the account's secret, and after a rotation with both", async () => {
    const account = await newAccount();
    const old = (await readSecret(account.apiKey)).body.signing_secret as string;

    const before = await deliverSignedBy(account.id);
    expect(verifyWebhook({ headers: before.headers, body: JSON.parse(before.body) }, old)).toBe(true);
    expect(String(before.headers['webhook-signature'])).toBe(standardEntries(before, [old]).join(' '));

    const fresh = (await rotateSecret(account.apiKey)).body.signing_secret as string;
    await events.next((message) => message.type === publications.signerRotated.type && message.payload.id === account.id, 'signer.rotated');
    // The deliverer forgets once per signer.rotated: once it has forgotten as many as were published, ours is done.
    const published = events.all.filter((message) => message.type === publications.signerRotated.type).length;
    await waitFor(async () => (await forgottenSigners()) >= published, { description: 'the rotation reached the deliverer' });

    const after = await deliverSignedBy(account.id);
    const parsed = { headers: after.headers, body: JSON.parse(after.body) };
    expect(verifyWebhook(parsed, fresh)).toBe(true);
    expect(verifyWebhook(parsed, old)).toBe(false);
    expect(String(after.headers['webhook-signature'])).toBe(standardEntries(after, [fresh, old]).join(' '));
  });
});
