import type { Browser } from 'playwright-core';
import { waitFor } from '@pingback/testing';
import { createChannel, request, send } from '../support/api';
import { contextPool, launchChromium } from '../support/browser';
import { startProviderFakes, type ProviderFakes } from '../support/provider-fakes';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let fakes: ProviderFakes;
let browser: Browser;
const pages = contextPool(() => browser);

// Up to seven service processes start beside another test file's on two cores: more than jest's minute.
beforeAll(async () => {
  fakes = await startProviderFakes([]);
  stack = await startStack(fakes.env);
  browser = await launchChromium();
}, 120_000);
afterEach(() => pages.closeAll());
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await fakes?.close();
});

describe("the inbox page's web push button", () => {
  test('when the inbox is opened, then its subscribe script is allowed by the nonce of its Content-Security-Policy and runs in Chromium with no violation', async () => {
    const channel = await createChannel(stack);
    const page = await request<string>(channel.inboxUrl);
    const csp = page.headers.get('content-security-policy')!;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(page.body).toContain(`<script nonce="${nonce}">`);
    expect(csp).not.toContain('unsafe-inline');
    expect(page.body).toContain(`data-key="${fakes.vapidPublicKey}"`);

    const tab = await pages.newPage({ javaScriptEnabled: true });
    const violations: string[] = [];
    tab.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await tab.goto(channel.inboxUrl);
    await tab.waitForSelector('#push-subscribe[data-ready="true"]', { state: 'visible' });
    expect(violations).toEqual([]);
  });

  test("when a browser's subscription is posted to the inbox, then it becomes a web_push destination and the next send arrives at the push service, decrypted", async () => {
    const channel = await createChannel(stack);
    const subscription = fakes.webPush.subscribe(fakes.vapidPublicKey);
    const subscribeUrl = channel.inboxUrl.replace(/\/inbox\/([^/]+)$/, '/inbox/$1/push-subscriptions');
    const added = await request(subscribeUrl, { body: subscription });
    expect(added).toMatchObject({ status: 201, body: { type: 'web_push', active: true } });

    const messageId = await send(stack, channel.token, { title: 'Coffee is ready' });
    const push = await waitFor(() => fakes.webPush.received.find((p) => (p.payload as { message_id?: string }).message_id === messageId), { description: 'the push' });
    expect(push.payload).toMatchObject({ title: 'Coffee is ready' });
  });

  test('when a subscription comes as a form post or to an unsigned inbox link, then nothing is added', async () => {
    const channel = await createChannel(stack);
    const subscribeUrl = channel.inboxUrl.replace(/\/inbox\/([^/]+)$/, '/inbox/$1/push-subscriptions');
    // What another site's form can send: urlencoded (not JSON) or text/plain (refused outright).
    const form = await request(subscribeUrl, { rawBody: 'endpoint=http://127.0.0.1/x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form).toMatchObject({ status: 400, body: { error: 'invalid_json' } });
    const plain = await request(subscribeUrl, { rawBody: JSON.stringify(fakes.webPush.subscribe(fakes.vapidPublicKey)), headers: { 'content-type': 'text/plain' } });
    expect(plain).toMatchObject({ status: 415, body: { error: 'unsupported_media_type' } });
    const forged = await request(`${stack.url}/inbox/forged.token/push-subscriptions`, { body: fakes.webPush.subscribe(fakes.vapidPublicKey) });
    expect(forged.status).toBe(404);
    const listed = await request<{ data: unknown[] }>(`${stack.url}/api/channels/${channel.channelId}/destinations`, { headers: { authorization: `Bearer ${channel.apiKey}` } });
    expect(listed.body.data).toEqual([]);
  });
});
