import { subscriptions, webhookDeliverPublications } from '@pingback/contracts';
import { waitFor } from '@pingback/testing';
import { startHarness, type ResponseStoreHarness } from './support/harness';

let harness: ResponseStoreHarness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness.close();
});


describe('response-store in process, on real Postgres, RabbitMQ and Redis', () => {
  test('when a send is requested, then it is recorded with its deliveries and publishes nothing (the dispatcher has the same command)', async () => {
    const sent = await harness.send({}, 2);
    await harness.recorded(sent.payload.messageId);
    expect(harness.events.all.filter((event) => event.payload.messageId === sent.payload.messageId)).toEqual([]);
    const link = await harness.call('GET', `/internal/links/${sent.tokens[1]}`);
    expect(link.status).toBe(200);
    expect(link.body).toMatchObject({ deliveryId: sent.payload.deliveries[1]!.id, state: 'open', message: { title: 'Deploy to Production?' } });
  });

  test('when a poll comes before any answer, then it says pending', async () => {
    const sent = await harness.send();
    await harness.recorded(sent.payload.messageId);
    const poll = await harness.call('GET', `/internal/messages/${sent.payload.messageId}/poll?channel=${sent.payload.channelId}`);
    expect(poll.status).toBe(200);
    expect(poll.body).toEqual({ status: 'pending' });
  });

  test('when two links of one message are answered, then the first wins and the answer is read once', async () => {
    const sent = await harness.send({}, 2);
    await harness.recorded(sent.payload.messageId);
    const first = await harness.call('POST', `/internal/links/${sent.tokens[0]}/answer`, { triggered_by: 'deploy', responses: { comment: 'go' } });
    const second = await harness.call('POST', `/internal/links/${sent.tokens[1]}/answer`, { triggered_by: 'deploy' });
    expect(first.status).toBe(201);
    expect(second).toMatchObject({ status: 409, body: { error: 'already_responded' } });

    const path = `/internal/messages/${sent.payload.messageId}/poll?channel=${sent.payload.channelId}`;
    const read = await harness.call('GET', path);
    expect(read.body).toMatchObject({ status: 'submitted', result: { triggered_by: 'deploy', responses: { comment: 'go' } } });
    expect((await harness.call('GET', path)).body).toEqual({ status: 'already_read' });
  });

  test('when a poll names another channel, then the message is not found', async () => {
    const sent = await harness.send();
    await harness.recorded(sent.payload.messageId);
    const poll = await harness.call('GET', `/internal/messages/${sent.payload.messageId}/poll?channel=ch_someone_else`);
    expect(poll).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  test('when a message with a callback_url is answered, then a callback command carries seed 001 body', async () => {
    const sent = await harness.send({ callbackUrl: 'http://127.0.0.1:9/hook' });
    await harness.recorded(sent.payload.messageId);
    expect((await harness.call('POST', `/internal/links/${sent.tokens[0]}/answer`, { triggered_by: 'deploy' })).status).toBe(201);
    const command = await harness.commands.next(
      (candidate) => candidate.type === webhookDeliverPublications.callback.type && (candidate.payload.body as { message_id?: string }).message_id === sent.payload.messageId,
      'callback command',
    );
    expect(command.payload).toMatchObject({ purpose: 'callback', url: 'http://127.0.0.1:9/hook' });
    expect(Object.keys(command.payload.body as object)).toEqual(['message_id', 'channel_id', 'timestamp', 'triggered_by', 'responses']);
  });

  test('when the same send is delivered twice, then it is recorded once and its answer still wins once', async () => {
    const sent = await harness.send();
    await harness.recorded(sent.payload.messageId);
    expect((await harness.call('POST', `/internal/links/${sent.tokens[0]}/answer`, { triggered_by: 'deploy' })).status).toBe(201);
    const queue = subscriptions.recordNotification.queue;
    const handledBefore = await harness.acked(queue);
    await harness.send(sent.payload);
    await waitFor(async () => (await harness.acked(queue)) > handledBefore, { description: 'the copy handled' });
    const link = await harness.call('GET', `/internal/links/${sent.tokens[0]}`);
    expect(link.body).toMatchObject({ state: 'answered', message: { answer: { triggered_by: 'deploy' } } });
  });

  test('when a channel is closed while a send of it is still queued, then that message is recorded closed too', async () => {
    const open = await harness.send();
    await harness.recorded(open.payload.messageId);
    const closing = await harness.call('POST', `/internal/channels/${open.payload.channelId}/expire-open`);
    expect(closing).toMatchObject({ status: 200, body: { expired: 1 } });

    // A send accepted before the delete, recorded after it.
    const late = await harness.send({ channelId: open.payload.channelId });
    await harness.recorded(late.payload.messageId);
    for (const sent of [open, late]) {
      const answer = await harness.call('POST', `/internal/links/${sent.tokens[0]}/answer`, { triggered_by: 'deploy' });
      expect(answer).toMatchObject({ status: 410, body: { error: 'link_expired' } });
      const poll = await harness.call('GET', `/internal/messages/${sent.payload.messageId}/poll?channel=${sent.payload.channelId}`);
      expect(poll.body).toEqual({ status: 'expired' });
    }
  });
});
