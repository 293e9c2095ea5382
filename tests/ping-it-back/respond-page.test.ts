import type { Browser, Page } from 'playwright-core';
import { waitFor } from '@pingback/testing';
import { answer, createChannel, DEPLOY_ACTIONS, poll, respondUrls, send, type ChannelCredentials } from '../support/api';
import { contextPool, launchChromium, open, PHONE, submitForm } from '../support/browser';
import { startReceiver, type Receiver } from '../support/receiver';
import { startStack, type Stack } from '../support/stack';

/** A message with every kind of input: a select, a text input and two buttons. */
const FORM_ACTIONS = [
  {
    type: 'select',
    label: 'Region',
    key: 'region',
    options: [
      { label: 'EU West', value: 'eu-west' },
      { label: 'US East', value: 'us-east' },
    ],
  },
  { type: 'text', label: 'Reason', key: 'reason', placeholder: 'Why now?' },
  ...DEPLOY_ACTIONS,
];

/** Each one runs `window.__xss=1` if it reaches the page as markup (every one fits a 40-character label). */
const XSS = {
  script: '<script>window.__xss=1</script>',
  img: '"><img src=x onerror="window.__xss=1">',
  svg: '</textarea><svg onload=window.__xss=1>',
  quote: "'><img src=x onerror=window.__xss=1>",
};
const XSS_TITLE = `</title>${XSS.script}${XSS.img}`;
const XSS_BODY = Object.values(XSS).join('\n') + '\n</div><b>not bold</b>';
const XSS_ACTIONS = [
  {
    type: 'select',
    label: XSS.svg,
    key: 'choice',
    options: [
      { label: XSS.script, value: XSS.img },
      { label: XSS.img, value: XSS.svg },
      { label: XSS.quote, value: XSS.quote },
    ],
  },
  { type: 'text', label: XSS.script, key: 'note', placeholder: `"${XSS.svg}` },
  { type: 'button', label: XSS.img, key: 'approve', style: 'primary' },
  { type: 'button', label: XSS.quote, key: 'reject' },
];

/** Elements that only user text could have put there: the pages have no scripts, images or event handlers. */
const INJECTED = 'script, img, svg, iframe, object, embed, b, [onerror], [onload]';

/** The browser's view of the Content-Security-Policy: with it, a payload that slipped through would be blocked
 * anyway, so the XSS cases also run with it bypassed, where escaping alone must hold. */
const CSP_MODES = [
  ['with the page’s Content-Security-Policy', false],
  ['with the Content-Security-Policy bypassed (escaping alone)', true],
] as const;

describe('the respond page and the inbox, as a person sees them in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let receiver: Receiver;
  let channel: ChannelCredentials;
  const pages = contextPool(() => browser);

  beforeAll(async () => {
    // One after the other, so whatever started is assigned (and closed by afterAll) when a later step fails.
    stack = await startStack({ PINGBACK_MIN_EXPIRES_IN_SECONDS: '1' });
    browser = await launchChromium();
    receiver = await startReceiver();
    channel = await createChannel(stack);
  });
  afterEach(() => pages.closeAll());
  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    await stack?.stop();
  });

  const firstLink = async (ch: ChannelCredentials, messageId: string) => (await respondUrls(stack, ch.apiKey, messageId))[0]!;
  const sendForm = (ch: ChannelCredentials = channel, extra: Record<string, unknown> = {}) =>
    send(stack, ch.token, { title: 'Deploy to Production?', body: 'Build 1234 passed.', actions: FORM_ACTIONS, ...extra });
  const text = async (page: Page) => (await page.locator('body').innerText()).replace(/\s+/g, ' ').trim();
  const hasForm = async (page: Page) => (await page.locator('form').count()) > 0;

  /** Reloads the inbox until `ready` holds for it (a message is listed once response-store has recorded it). */
  async function openInboxUntil(page: Page, ch: ChannelCredentials, ready: (page: Page) => Promise<boolean>): Promise<void> {
    await waitFor(async () => (await open(page, ch.inboxUrl)).status() === 200 && (await ready(page)), {
      timeoutMs: 15_000,
      intervalMs: 200,
      description: `the inbox of ${ch.channelId}`,
    });
  }

  test('when a person answers with JavaScript disabled, then the form posts, the page shows the answer and a poll returns it', async () => {
    const id = await sendForm();
    const link = await firstLink(channel, id);
    const page = await pages.newPage({ javaScriptEnabled: false });

    const shown = await open(page, link);
    expect(shown.status()).toBe(200);
    const csp = shown.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/(^|;)\s*default-src 'none'\s*(;|$)/);
    expect(csp).not.toMatch(/script-src/);
    expect(csp).toMatch(/form-action 'self'/);
    expect(await page.locator('meta[name="viewport"]').getAttribute('content')).toMatch(/width=device-width/);
    expect(await page.locator('h1').textContent()).toBe('Deploy to Production?');
    expect(await text(page)).toContain('Build 1234 passed.');

    await page.getByLabel('Region').selectOption({ label: 'US East' });
    await page.getByLabel('Reason').fill('hotfix for #42 & friends');
    const answered = await submitForm(page, () => page.getByRole('button', { name: 'Deploy', exact: true }).click());

    expect(answered.status()).toBe(201);
    const summary = await text(page);
    expect(summary).toContain('Answered: Deploy');
    // In the form's order.
    expect(await page.locator('li').allTextContents()).toEqual(['Region: US East', 'Reason: hotfix for #42 & friends']);
    expect(await hasForm(page)).toBe(false);

    expect((await poll(stack, channel.token, id)).body).toEqual({
      status: 'submitted',
      result: expect.objectContaining({ message_id: id, triggered_by: 'deploy', responses: { region: 'us-east', reason: 'hotfix for #42 & friends' } }),
      submitted_at: expect.any(String),
    });
  });

  test('when a person answers without filling the optional inputs, then only the button is recorded', async () => {
    const id = await sendForm();
    const page = await pages.newPage({ javaScriptEnabled: false });
    await open(page, await firstLink(channel, id));
    const answered = await submitForm(page, () => page.getByRole('button', { name: 'Cancel', exact: true }).click());
    expect(answered.status()).toBe(201);
    expect(await text(page)).toContain('Answered: Cancel');
    expect((await poll(stack, channel.token, id)).body).toMatchObject({ status: 'submitted', result: { triggered_by: 'cancel', responses: {} } });
  });

  describe.each(CSP_MODES)('XSS %s', (_mode, bypassCSP) => {
    let xssChannel: ChannelCredentials;
    beforeAll(async () => {
      xssChannel = await createChannel(stack);
    });

    async function expectNothingInjected(page: Page): Promise<void> {
      expect(await page.locator(INJECTED).count()).toBe(0);
      expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    }

    test('when titles, body, labels, options and placeholder hold markup, then the respond page shows it as literal text and runs nothing', async () => {
      const id = await send(stack, xssChannel.token, { title: XSS_TITLE, body: XSS_BODY, actions: XSS_ACTIONS });
      const page = await pages.newPage({ javaScriptEnabled: true, bypassCSP });
      expect((await open(page, await firstLink(xssChannel, id))).status()).toBe(200);

      expect(await page.title()).toBe(XSS_TITLE);
      expect(await page.locator('h1').textContent()).toBe(XSS_TITLE);
      expect(await page.locator('.body').textContent()).toBe(XSS_BODY);
      expect(await page.locator('label').allTextContents()).toEqual([XSS.svg, XSS.script]);
      expect(await page.getByRole('button').allTextContents()).toEqual([XSS.img, XSS.quote]);
      const options = page.locator('select option');
      expect(await options.allTextContents()).toEqual(['—', XSS.script, XSS.img, XSS.quote]);
      expect(await Promise.all((await options.all()).map((o) => o.getAttribute('value')))).toEqual(['', XSS.img, XSS.svg, XSS.quote]);
      expect(await page.locator('textarea').getAttribute('placeholder')).toBe(`"${XSS.svg}`);
      expect(await page.locator('textarea').inputValue()).toBe('');
      await expectNothingInjected(page);
    });

    test('when an answer holds markup, then the answered page shows it as literal text, runs nothing, and the poll returns it verbatim', async () => {
      const id = await send(stack, xssChannel.token, { title: XSS_TITLE, actions: XSS_ACTIONS });
      const page = await pages.newPage({ javaScriptEnabled: true, bypassCSP });
      await open(page, await firstLink(xssChannel, id));

      await page.locator('select').selectOption({ label: XSS.img });
      await page.locator('textarea').fill(XSS.svg + XSS.script);
      const answered = await submitForm(page, () => page.getByRole('button', { name: XSS.img }).click());

      expect(answered.status()).toBe(201);
      const notice = (await page.locator('.notice').textContent())!;
      // The answer, then when it was given.
      expect(notice.startsWith(`Answered: ${XSS.img} at `)).toBe(true);
      expect(notice).toMatch(/ at \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
      expect(await page.locator('li').allTextContents()).toEqual([`${XSS.svg}: ${XSS.img}`, `${XSS.script}: ${XSS.svg}${XSS.script}`]);
      await expectNothingInjected(page);
      expect((await poll(stack, xssChannel.token, id)).body).toMatchObject({
        status: 'submitted',
        result: { triggered_by: 'approve', responses: { choice: XSS.svg, note: XSS.svg + XSS.script } },
      });
    });

    test('when a title, body and labels hold markup, then the inbox lists them as literal text and runs nothing', async () => {
      const id = await send(stack, xssChannel.token, { title: XSS_TITLE, body: XSS_BODY, actions: XSS_ACTIONS });
      await send(stack, xssChannel.token, { title: XSS_TITLE, actions: XSS_ACTIONS.filter((action) => action.type === 'button') });
      await firstLink(xssChannel, id);
      const page = await pages.newPage({ javaScriptEnabled: true, bypassCSP });
      await openInboxUntil(page, xssChannel, async (p) => (await p.locator('.inbox .title').count()) >= 2);

      const titles = await page.locator('.inbox .title').allTextContents();
      expect(new Set(titles)).toEqual(new Set([XSS_TITLE]));
      expect(await page.getByRole('button', { name: XSS.img, exact: true }).count()).toBeGreaterThan(0);
      // The page's own script (its live refresh) is the only one; nothing in the list is markup.
      expect(await page.locator('.inbox').locator(INJECTED).count()).toBe(0);
      expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    });
  });

  test('when one link was answered, then another link of the message shows the answer and a stale form gets a 409 page', async () => {
    const webhookChannel = await createChannel(stack, [{ type: 'webhook', url: `${receiver.url}/hooks/pingback` }]);
    const id = await sendForm(webhookChannel);
    const links = await waitFor(async () => {
      const urls = await respondUrls(stack, webhookChannel.apiKey, id);
      return urls.length === 2 && urls;
    });
    // The webhook destination got its own link: that is the one a person would open from there.
    const delivered = await waitFor(() => receiver.requests.find((r) => (r.json as { message_id?: string } | undefined)?.message_id === id));
    const webhookLink = (delivered.json as { respond_url: string }).respond_url;
    expect(links).toContain(webhookLink);
    const webLink = links.find((l) => l !== webhookLink)!;

    // Someone opens the webhook's link and leaves the page open ...
    const stale = await pages.newPage({ javaScriptEnabled: false });
    await open(stale, webhookLink);
    expect(await hasForm(stale)).toBe(true);

    // ... someone else answers on the web link ...
    const first = await pages.newPage({ javaScriptEnabled: false });
    await open(first, webLink);
    await first.getByLabel('Region').selectOption({ label: 'EU West' });
    expect((await submitForm(first, () => first.getByRole('button', { name: 'Deploy', exact: true }).click())).status()).toBe(201);

    // ... then the first person clicks Cancel on the page they still have open.
    const late = await submitForm(stale, () => stale.getByRole('button', { name: 'Cancel', exact: true }).click());
    expect(late.status()).toBe(409);
    expect(await text(stale)).toContain('This was already answered; your choice was not recorded.');
    expect(await text(stale)).toContain('Answered: Deploy');
    expect(await text(stale)).toContain('Region: EU West');
    expect(await hasForm(stale)).toBe(false);

    // Opening the second link now shows the answer, and no form.
    const second = await pages.newPage({ javaScriptEnabled: false });
    expect((await open(second, webhookLink)).status()).toBe(200);
    expect(await text(second)).toContain('Answered: Deploy');
    expect(await hasForm(second)).toBe(false);
    expect(await second.getByRole('button').count()).toBe(0);

    // Posting the form again (as a replayed or double-submitted form would) gets the 409 page.
    const replay = await second.request.post(webhookLink, { form: { triggered_by: 'cancel' }, failOnStatusCode: false });
    expect(replay.status()).toBe(409);
    expect(replay.headers()['content-type']).toMatch(/^text\/html/);
    expect(await replay.text()).toContain('Answered: <strong>Deploy</strong>');
    expect((await answer(webhookLink, { triggered_by: 'cancel' })).body).toMatchObject({ error: 'already_responded' });

    expect((await poll(stack, webhookChannel.token, id)).body).toMatchObject({ status: 'submitted', result: { triggered_by: 'deploy', responses: { region: 'eu-west' } } });
  });

  test('when the answer window has closed, then the link shows a 410 page saying it expired and a form post gets 410 too', async () => {
    const id = await sendForm(channel, { expires_in: 1 });
    const link = await firstLink(channel, id);
    await waitFor(async () => (await poll(stack, channel.token, id)).body.status === 'expired', { timeoutMs: 10_000, intervalMs: 100 });

    const page = await pages.newPage({ javaScriptEnabled: false });
    const shown = await open(page, link);
    expect(shown.status()).toBe(410);
    expect(await text(page)).toMatch(/expired/i);
    expect(await hasForm(page)).toBe(false);
    expect(shown.headers()['content-security-policy']).toMatch(/default-src 'none'/);

    const late = await page.request.post(link, { form: { triggered_by: 'deploy' }, failOnStatusCode: false });
    expect(late.status()).toBe(410);
    expect(await late.text()).toMatch(/expired/i);
  });

  test('when a link is made up or tampered with, then a 404 page says it is not valid', async () => {
    const id = await sendForm();
    const real = await firstLink(channel, id);
    const tampered = `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`;
    const page = await pages.newPage({ javaScriptEnabled: false });

    for (const url of [`${stack.url}/r/not-a-token`, tampered, `${stack.url}/inbox/not-a-token`]) {
      const shown = await open(page, url);
      expect(shown.status()).toBe(404);
      expect(await text(page)).toContain('This link is not valid.');
      expect(await hasForm(page)).toBe(false);
    }
    expect((await poll(stack, channel.token, id)).body).toEqual({ status: 'pending' });
  });

  test('when a link is opened many times and fetched with HEAD, then nothing changes and the message is still pending', async () => {
    const id = await sendForm();
    const link = await firstLink(channel, id);
    const page = await pages.newPage();

    for (let i = 0; i < 5; i += 1) {
      expect((await open(page, link)).status()).toBe(200);
      expect(await hasForm(page)).toBe(true);
    }
    await page.reload();
    for (let i = 0; i < 3; i += 1) expect((await page.request.get(link)).status()).toBe(200);
    const head = await page.request.fetch(link, { method: 'HEAD' });
    expect(head.status()).toBe(200);
    expect((await head.body()).length).toBe(0);

    expect((await poll(stack, channel.token, id)).body).toEqual({ status: 'pending' });
    await open(page, link);
    expect(await hasForm(page)).toBe(true);
  });

  test('when a channel has messages, then its inbox lists them newest first with their state, and one tap on a button answers', async () => {
    const inboxChannel = await createChannel(stack);
    const first = await send(stack, inboxChannel.token, { title: 'Restart the workers?', actions: DEPLOY_ACTIONS, priority: 'high' });
    const second = await send(stack, inboxChannel.token, { title: 'Rotate the keys?', body: 'The old ones stop in an hour.', actions: DEPLOY_ACTIONS });
    const withInputs = await send(stack, inboxChannel.token, { title: 'Which region?', actions: FORM_ACTIONS });
    const page = await pages.newPage({ javaScriptEnabled: false });

    await openInboxUntil(page, inboxChannel, async (p) => (await p.locator('.inbox .item').count()) === 3);
    expect(await page.locator('.inbox .title').allTextContents()).toEqual(['Which region?', 'Rotate the keys?', 'Restart the workers?']);
    expect(await page.locator('.inbox .state').allTextContents()).toEqual(['Waiting for you', 'Waiting for you', 'Waiting for you']);
    expect(await page.locator('.inbox .item').nth(2).locator('.badge').textContent()).toBe('High');
    expect(await page.locator('.inbox time').first().textContent()).toMatch(/^(just now|\d+ min ago)$/);
    // Buttons alone answer in one tap; a message with inputs opens its respond page.
    expect(await page.getByRole('link', { name: 'Answer…' }).getAttribute('href')).toMatch(/^\/r\//);
    expect(await page.locator('.inbox .item').nth(1).getByRole('button').allTextContents()).toEqual(['Deploy', 'Cancel']);

    const restart = page.locator('.inbox .item').nth(2);
    expect((await submitForm(page, () => restart.getByRole('button', { name: 'Deploy', exact: true }).click())).status()).toBe(201);
    expect((await poll(stack, inboxChannel.token, first)).body).toMatchObject({ status: 'submitted', result: { triggered_by: 'deploy' } });
    expect((await answer(await firstLink(inboxChannel, second), { triggered_by: 'cancel' })).status).toBe(201);

    await open(page, inboxChannel.inboxUrl);
    expect(await page.locator('.inbox .state').allTextContents()).toEqual(['Waiting for you', 'Answered: Cancel', 'Answered: Deploy']);
    expect(await page.locator('.inbox .item').nth(2).getByRole('button').count()).toBe(0);
    expect(withInputs).toMatch(/^msg_/);
  });

  test('when a message expires unanswered, then the inbox says so and offers no button', async () => {
    const inboxChannel = await createChannel(stack);
    await send(stack, inboxChannel.token, { title: 'Too late now', actions: DEPLOY_ACTIONS, expires_in: 1 });
    const page = await pages.newPage({ javaScriptEnabled: false });

    await openInboxUntil(page, inboxChannel, async (p) => (await p.locator('.inbox .state').allTextContents()).join() === 'Expired without an answer');
    expect(await page.locator('.inbox').getByRole('button').count()).toBe(0);
  });

  test('when a channel has more than a page of messages, then Older messages leads to the rest, newest first', async () => {
    const inboxChannel = await createChannel(stack);
    for (let i = 1; i <= 23; i++) await send(stack, inboxChannel.token, { title: `Message ${i}` });
    const page = await pages.newPage({ javaScriptEnabled: false });

    await openInboxUntil(page, inboxChannel, async (p) => (await p.locator('.inbox .title').first().textContent()) === 'Message 23');
    const firstPage = await page.locator('.inbox .title').allTextContents();
    await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Older messages' }).click()]);
    const secondPage = await page.locator('.inbox .title').allTextContents();

    expect(firstPage).toEqual(Array.from({ length: 20 }, (_, i) => `Message ${23 - i}`));
    expect(secondPage).toEqual(['Message 3', 'Message 2', 'Message 1']);
    expect(await page.getByRole('link', { name: 'Older messages' }).count()).toBe(0);
  });

  test('when a new message arrives while the inbox is open, then it appears without a reload by the person', async () => {
    const inboxChannel = await createChannel(stack);
    await send(stack, inboxChannel.token, { title: 'Already there' });
    const page = await pages.newPage();
    await openInboxUntil(page, inboxChannel, async (p) => (await p.locator('.inbox .item').count()) === 1);

    await send(stack, inboxChannel.token, { title: 'Arrived later' });

    await page.locator('.inbox .title', { hasText: 'Arrived later' }).waitFor({ timeout: 30_000 });
    expect(await page.locator('.inbox .title').allTextContents()).toEqual(['Arrived later', 'Already there']);
  });

  test('when the respond page is opened on a phone, then it fits the screen with full-width inputs and large buttons', async () => {
    const id = await sendForm(channel, { body: 'Build 1234 passed all checks.\nCommit: "Fix the flaky login test" by Ada.', priority: 'high' });
    const page = await pages.newPage(PHONE);
    await open(page, await firstLink(channel, id));
    await page.screenshot({ path: '/tmp/respond-page.png', fullPage: true });

    const width = PHONE.viewport!.width;
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    for (const selector of ['select', 'textarea']) {
      const box = (await page.locator(selector).boundingBox())!;
      expect(box.width).toBeGreaterThan(width * 0.8);
      // 16px or more, or phones zoom in when the field gets focus.
      const fontSize = await page.evaluate(`getComputedStyle(document.querySelector('${selector}')).fontSize`);
      expect(parseFloat(String(fontSize))).toBeGreaterThanOrEqual(16);
    }
    for (const button of await page.getByRole('button').all()) {
      const box = (await button.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      expect(box.height).toBeGreaterThanOrEqual(44);
    }
  });
});
