import path from 'node:path';
import { createChannel, poll, type ChannelCredentials } from '../support/api';
import { pythonWithRequests, requireTools, runClient, type ClientRun } from '../support/run-client';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '@pingback/testing';
import { startTappingDestination, type TappingDestination } from '../support/tapping-destination';

const SEED_CLIENTS = path.join(__dirname, '..', 'seed-clients');
/** The seed scripts poll every 3 s; a run that has not ended well after that is stuck. */
const RUN_DEADLINE_MS = 30_000;

/** Seed 001's answer, as the seed's Python and Node clients return it. */
function seedAnswer(tapped: TappingDestination, channel: ChannelCredentials, triggeredBy: string) {
  return {
    message_id: tapped.taps[0]!.notification.message_id,
    channel_id: channel.channelId,
    timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    triggered_by: triggeredBy,
    responses: {},
  };
}

/** The result the Python and Node clients print as their last line (the only addition to the seed's code). */
function printedResult(run: ClientRun): unknown {
  const lines = run.stdout.trimEnd().split('\n');
  return JSON.parse(lines.at(-1)!);
}

describe("seed 000's clients, unchanged but for TOKEN and API, against Pingback", () => {
  let stack: Stack;
  let python: string;
  const destinations: TappingDestination[] = [];

  beforeAll(async () => {
    requireTools('curl', 'jq');
    python = pythonWithRequests();
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all(destinations.map((d) => d.close()));
  });

  /** A channel whose webhook destination "taps" the button `key` on every notification it gets. */
  async function channelThatTaps(key: string) {
    const tapped = await startTappingDestination(key);
    destinations.push(tapped);
    const channel = await createChannel(stack, [{ type: 'webhook', url: `${tapped.url}/phone` }]);
    return { tapped, channel };
  }

  const run = (channel: ChannelCredentials, command: string, script: string) =>
    runClient(command, [path.join(SEED_CLIENTS, script)], { PINGBACK_TOKEN: channel.token, PINGBACK_API: stack.url }, RUN_DEADLINE_MS);

  /** The one tap was accepted, on the notification the script sent, and the script consumed the answer. */
  async function expectTappedAndRead(tapped: TappingDestination, channel: ChannelCredentials, title: string) {
    await waitFor(() => tapped.taps.length > 0, { description: 'the tap to be answered' });
    expect(tapped.taps).toHaveLength(1);
    expect(tapped.taps[0]).toMatchObject({ status: 201, notification: { title, channel_id: channel.channelId } });
    expect((await poll(stack, channel.token, tapped.taps[0]!.notification.message_id)).body).toEqual({ status: 'already_read' });
  }

  describe('the bash "Complete Example"', () => {
    test('when the person taps Deploy, then the script prints the approval and exits 0', async () => {
      const { tapped, channel } = await channelThatTaps('deploy');

      const result = await run(channel, 'bash', 'complete-example.sh');

      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('📱 Notification sent. Waiting for approval...\n✅ Approved! Starting deployment...\n');
      expect(result.code).toBe(0);
      await expectTappedAndRead(tapped, channel, 'Deploy to Production?');
    });

    test('when the person taps Cancel, then the script prints the cancellation and exits 1', async () => {
      const { tapped, channel } = await channelThatTaps('cancel');

      const result = await run(channel, 'bash', 'complete-example.sh');

      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('📱 Notification sent. Waiting for approval...\n❌ Cancelled by user\n');
      expect(result.code).toBe(1);
      await expectTappedAndRead(tapped, channel, 'Deploy to Production?');
    });
  });

  describe("the Python ping_and_wait (Debian's python3 with requests)", () => {
    test('when the person taps Deploy, then ping_and_wait returns the answer and the usage prints "Deploying..."', async () => {
      const { tapped, channel } = await channelThatTaps('deploy');

      const result = await run(channel, python, 'ping_and_wait.py');

      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.split('\n')[0]).toBe('Deploying...');
      expect(printedResult(result)).toEqual(seedAnswer(tapped, channel, 'deploy'));
      await expectTappedAndRead(tapped, channel, 'Deploy to Production?');
    });

    test('when the person taps Cancel, then ping_and_wait returns the cancel answer and the usage prints "Cancelled or timeout"', async () => {
      const { tapped, channel } = await channelThatTaps('cancel');

      const result = await run(channel, python, 'ping_and_wait.py');

      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.split('\n')[0]).toBe('Cancelled or timeout');
      expect(printedResult(result)).toEqual(seedAnswer(tapped, channel, 'cancel'));
      await expectTappedAndRead(tapped, channel, 'Deploy to Production?');
    });
  });

  describe('the Node pingAndWait (an .mjs file for its top-level await)', () => {
    test('when the person taps Approve, then pingAndWait returns the answer and the usage prints "Processing order..."', async () => {
      const { tapped, channel } = await channelThatTaps('approve');

      const result = await run(channel, process.execPath, 'ping-and-wait.mjs');

      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.split('\n')[0]).toBe('Processing order...');
      expect(printedResult(result)).toEqual(seedAnswer(tapped, channel, 'approve'));
      await expectTappedAndRead(tapped, channel, 'Approve Purchase?');
    });

    test('when the person taps Reject, then pingAndWait returns the reject answer and the usage prints nothing of its own', async () => {
      const { tapped, channel } = await channelThatTaps('reject');

      const result = await run(channel, process.execPath, 'ping-and-wait.mjs');

      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
      expect(printedResult(result)).toEqual(seedAnswer(tapped, channel, 'reject'));
      await expectTappedAndRead(tapped, channel, 'Approve Purchase?');
    });
  });
});
