import { startHarness, type ResponseStoreHarness } from './support/harness';

let harness: ResponseStoreHarness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness.close();
});


const pollPath = (sent: { payload: { messageId: string; channelId: string } }) => `/internal/messages/${sent.payload.messageId}/poll?channel=${sent.payload.channelId}`;

// The attack: one account points a webhook or callback URL at this port, and our deliverer POSTs there. That POST
// never carries the internal-call credential, so it must change nothing of anyone's.
describe('response-store internal port, for a caller without our internal-call credential', () => {
  test('when a POST to another channel expire-open comes without the header, then it is 404 and the open message still polls pending', async () => {
    const victim = await harness.send();
    await harness.recorded(victim.payload.messageId);

    const attack = await harness.callWithoutCredential('POST', `/internal/channels/${victim.payload.channelId}/expire-open`, {});
    expect(attack).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect((await harness.call('GET', pollPath(victim))).body).toEqual({ status: 'pending' });

    // The same POST from one of our services does expire it: the refusal above is the credential's doing.
    const ours = await harness.call('POST', `/internal/channels/${victim.payload.channelId}/expire-open`, {});
    expect(ours).toMatchObject({ status: 200, body: { expired: 1 } });
    expect((await harness.call('GET', pollPath(victim))).body).toMatchObject({ status: 'expired' });
  });

  test('when a link answer comes without the header, then it is 404 and the message stays pending', async () => {
    const victim = await harness.send();
    await harness.recorded(victim.payload.messageId);
    const attack = await harness.callWithoutCredential('POST', `/internal/links/${victim.tokens[0]}/answer`, { triggered_by: 'deploy' });
    expect(attack).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect((await harness.call('GET', pollPath(victim))).body).toEqual({ status: 'pending' });
  });

  test('when /healthz is asked without the header, then it stays open', async () => {
    expect((await harness.callWithoutCredential('GET', '/healthz')).status).toBe(200);
  });
});
