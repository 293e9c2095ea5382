import { createBroker, topologyOf, type Broker } from '@pingback/broker';
import { envelopeFor } from '@pingback/contracts';
import { isolateTestFile, waitFor, type IsolatedTestFile } from '@pingback/testing';
import { Pool } from 'pg';
import { createOutboxRelay, defineOutbox, pgDatabase, type OutboxEntry, type OutboxRelay, type TransactionalDb } from '../src';
import { createDurableTables } from './support/durable-models';
import { PUBLICATION, publisherTopology, publishRow, startReceiver, testLogger, thing, thingQueue, thingsAt } from './support/test-broker';

/**
 * Real: Postgres (this file's database; the outbox table made from the README's model) and RabbitMQ (this file's
 * vhost); the relay runs in this process and publishes through libs/broker with confirms.
 */
const SCHEMA = 'durable_relay';
const UNROUTED = 'test.thing.unrouted';
const unroutedQueue = thingQueue('durable-test:thing:unrouted', UNROUTED);

const outbox = defineOutbox({ schema: SCHEMA });

describe('the outbox relay', () => {
  let infra: IsolatedTestFile;
  let pool: Pool;
  let db: TransactionalDb;
  let receiver: { broker: Broker; received: string[] };
  let publisher: Broker;
  let relay: OutboxRelay | undefined;

  beforeAll(async () => {
    infra = await isolateTestFile();
    await createDurableTables(infra.databaseUrl, SCHEMA);
    pool = new Pool({ connectionString: infra.databaseUrl, max: 4 });
    db = pgDatabase(pool);
    receiver = await startReceiver(infra.rabbitUrl);
    publisher = createBroker({ url: infra.rabbitUrl, topology: publisherTopology, logger: testLogger() });
    await publisher.start();
  });

  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
    receiver.received.length = 0;
    await pool.query(`TRUNCATE ${SCHEMA}.outbox`);
  });

  afterAll(async () => {
    await publisher?.stop();
    await receiver?.broker.stop();
    await pool?.end();
    await infra?.cleanup();
  });

  function startRelay(intervalMs: number, batchSize?: number): OutboxRelay {
    relay = createOutboxRelay({
      db,
      outbox,
      logger: testLogger(),
      intervalMs,
      ...(batchSize === undefined ? {} : { batchSize }),
      publish: publishRow(publisher),
    });
    relay.start();
    return relay;
  }

  /** Ids that sort in the order they are written, so "oldest first" is visible among rows of one transaction. */
  function ordered(n: number, publication = PUBLICATION): OutboxEntry {
    const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    return { id, publication, envelope: envelopeFor(thingsAt(publication), { n }, { traceId: `trace-${n}`, id }) };
  }

  test('when rows are appended in a transaction that rolls back, then nothing is left to publish', async () => {
    await expect(
      db.$transaction(async (tx) => {
        await outbox.append(tx, [thing(1)]);
        throw new Error('the caller changed its mind');
      }),
    ).rejects.toThrow('the caller changed its mind');

    expect(await outbox.count(db)).toBe(0);
  });

  test('when rows commit and the relay is kicked, then each is published once, oldest first, and the outbox empties', async () => {
    const live = startRelay(60_000, 7);
    await live.settled();
    const rows = Array.from({ length: 25 }, (_, n) => ordered(n));
    await db.$transaction((tx) => outbox.append(tx, rows));

    live.kick();
    await waitFor(() => receiver.received.length >= rows.length, { description: 'every row to arrive' });
    await live.settled();

    expect(receiver.received).toEqual(rows.map((row) => row.id));
    expect(await outbox.count(db)).toBe(0);
  });

  test('when the interval is shortened by configuration, then rows written by another process go out without a kick', async () => {
    const live = startRelay(100);
    await live.settled();

    await db.$transaction((tx) => outbox.append(tx, [thing(1), thing(2)]));

    await waitFor(() => receiver.received.length === 2, { timeoutMs: 5_000, description: 'the rows to go out on the timer' });
  });

  test('when a publish fails, then the rows before it are gone, it and the rest wait, and a later round publishes them once', async () => {
    const [first, unrouted, last] = [ordered(1), ordered(2, UNROUTED), ordered(3)];
    await db.$transaction((tx) => outbox.append(tx, [first, unrouted, last]));

    const live = startRelay(100);
    await waitFor(() => receiver.received.length === 1, { description: 'the first row to arrive' });
    await live.settled();
    expect(receiver.received).toEqual([first.id]);
    const waiting = await pool.query<{ id: string }>(`SELECT id FROM ${SCHEMA}.outbox ORDER BY id`);
    expect(waiting.rows.map((row) => row.id)).toEqual([unrouted.id, last.id]);

    // The fix: a queue now takes the publication that had none, and the relay's next round goes through.
    const fixed = createBroker({
      url: infra.rabbitUrl,
      topology: topologyOf([unroutedQueue]),
      logger: testLogger(),
    });
    const unroutedReceived: string[] = [];
    fixed.consume(unroutedQueue, async (message) => {
      unroutedReceived.push(message.id);
    });
    await fixed.start();
    try {
      await waitFor(async () => (await outbox.count(db)) === 0, { description: 'the waiting rows to go out' });
      await waitFor(() => receiver.received.length === 2 && unroutedReceived.length === 1, { description: 'both to arrive' });
      expect(receiver.received).toEqual([first.id, last.id]);
      expect(unroutedReceived).toEqual([unrouted.id]);
    } finally {
      await fixed.stop();
    }
  });

  test('when an envelope is stored, then it is published with its keys in the order they were written', async () => {
    const envelope = { id: 'keys-in-order', type: 'test.thing', version: 1, occurredAt: new Date().toISOString(), traceId: 't', payload: { z: 1, a: 2 } };
    await db.$transaction((tx) => outbox.append(tx, [{ id: envelope.id, publication: PUBLICATION, envelope }]));

    const [row] = await db.$transaction((tx) => outbox.claim(tx, 1));

    expect(JSON.stringify(row!.envelope)).toBe(JSON.stringify(envelope));
  });
});
