import { Pingback } from '@pingback/sdk';
import { answer, createChannel, messageIdTitled, respondUrls, type ChannelCredentials } from '../support/api';
import { sharedStack } from '../clients/shared-stack';
import type { Stack } from '../support/stack';

let stack: Stack;
let account: ChannelCredentials;
let client: Pingback;

beforeAll(async () => {
  stack = await sharedStack();
  account = await createChannel(stack);
  client = new Pingback({ url: stack.url, apiKey: account.apiKey, channelToken: account.token });
}, 120_000);

describe('the TypeScript SDK', () => {
  test('when sendAndWait asks and the inbox answers, then it resolves with the answer', async () => {
    const waiting = client.sendAndWait({ title: 'Deploy from the SDK?', actions: [{ type: 'button', key: 'deploy', label: 'Deploy' }, { type: 'button', key: 'cancel', label: 'Cancel' }] });
    const id = await messageIdTitled(stack, account.apiKey, 'Deploy from the SDK?');
    const [link] = await respondUrls(stack, account.apiKey, id);
    await answer(link!, { triggered_by: 'deploy' });

    expect(await waiting).toMatchObject({ status: 'submitted', messageId: id, result: { message_id: id, triggered_by: 'deploy' } });
  });

  test('when nobody answers, then sendAndWait resolves expired', async () => {
    expect(await client.sendAndWait({ title: 'Nobody answers the SDK', expires_in: 1, actions: [{ type: 'button', key: 'ok', label: 'OK' }] })).toMatchObject({ status: 'expired' });
  });

  test('when an approval is created, decided and waited for, then the waiting read returns the decision', async () => {
    const created = await client.createApproval({ context: 'Merge the SDK?', timeout_seconds: 60 });
    const waiting = client.waitForApproval(created.approval_id);
    await client.decideApproval(created.approval_id, 'approve', 'ship it');
    expect(await waiting).toMatchObject({ approval_id: created.approval_id, status: 'approved', result: 1, notes: 'ship it' });
  });

  test('when the API refuses, then the SDK throws its status and stable code', async () => {
    await expect(client.getApproval('apr_nosuch')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    await expect(new Pingback({ url: stack.url, channelToken: 'pbt_wrong' }).send({ title: 'x' })).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });
});
