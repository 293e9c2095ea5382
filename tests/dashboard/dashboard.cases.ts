import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { waitFor } from '@pingback/testing';
import { pingback } from '../cli/cli-support';
import { createChannel, messageIdTitled, request, type ChannelCredentials } from '../support/api';
import { contextPool, launchChromium, PHONE } from '../support/browser';
import { DASHBOARD_SESSION_TTL_MS as SESSION_TTL_MS, sharedStack } from '../clients/shared-stack';
import type { Stack } from '../support/stack';
import { channelNames, overflowsSideways, postForm, screenshot, sessionCookie, signIn } from './dashboard-support';

let stack: Stack;
let browser: Browser;
let account: ChannelCredentials;
const pages = contextPool(() => browser);

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    sharedStack(),
    launchChromium(),
  ]);
  account = await createChannel(stack);
}, 120_000);
afterEach(() => pages.closeAll());
afterAll(async () => {
  await browser?.close();
});

const bearer = () => ({ authorization: `Bearer ${account.apiKey}` });

/** A page that records what the browser refused or failed to run (a CSP violation, a script error). */
async function watchedPage(options = {}): Promise<{ page: Page; problems: string[] }> {
  const page = await pages.newPage(options);
  const problems: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  return { page, problems };
}

describe('the dashboard, as a person uses it', () => {
  let token: string;
  let inboxUrl: string;

  test('when a person signs in with an API key and creates a channel, then its token and inbox URL are shown once', async () => {
    const { page, problems } = await watchedPage();
    await signIn(page, stack, account.apiKey);
    await screenshot(page, 'overview');

    await page.getByRole('link', { name: 'Channels', exact: true }).click();
    await page.getByLabel('Name').fill('Deploys');
    await Promise.all([page.waitForURL(`${stack.url}/app/channels`), page.getByRole('button', { name: 'Create channel' }).click()]);

    await page.getByRole('heading', { name: 'Channel created' }).waitFor();
    const secrets = await page.locator('.secret').allTextContents();
    [token, inboxUrl] = [secrets[0]!, secrets[1]!];
    expect(token).toMatch(/^pbt_/);
    expect(inboxUrl).toMatch(new RegExp(`^${stack.url}/inbox/`));
    expect(await channelNames(stack, account.apiKey)).toContain('Deploys');
    expect(problems).toEqual([]);
  });

  test('when the CLI sends with --wait and the person answers in the inbox, then the CLI prints deploy and the dashboard shows the delivery and the answer', async () => {
    const env = { PINGBACK_URL: stack.url, PINGBACK_TOKEN: token, PINGBACK_CONFIG: join(mkdtempSync(join(tmpdir(), 'pingback-dash-')), 'config.json') };
    const waiting = pingback(['send', '--title', 'Deploy v3?', '--button', 'deploy:Deploy', '--button', 'cancel:Cancel', '--wait'], env);
    const { page, problems } = await watchedPage(PHONE);
    await page.goto(inboxUrl);
    await page.getByText('Deploy v3?').waitFor({ timeout: 15_000 });
    await screenshot(page, 'phone-inbox');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Deploy' }).click()]);
    expect(await waiting).toMatchObject({ code: 0, stdout: 'deploy\n' });

    await signIn(page, stack, account.apiKey);
    await page.getByRole('link', { name: 'Messages', exact: true }).click();
    await page.getByRole('link', { name: 'Deploy v3?' }).click();
    await page.getByRole('heading', { name: 'Answer' }).waitFor();
    expect(await page.locator('main').textContent()).toEqual(expect.stringContaining('deploy'));
    expect(await page.locator('main').textContent()).toEqual(expect.stringContaining('web inbox'));
    expect(await page.locator('.badge', { hasText: 'delivered' }).count()).toBeGreaterThan(0);
    expect(await overflowsSideways(page)).toBe(false);
    await screenshot(page, 'phone-message');
    expect(problems).toEqual([]);
  });

  test('when an approval waits and the person approves it in the dashboard, then the API reads it approved by the key', async () => {
    const created = await request<{ approval_id: string }>(`${stack.url}/api/approvals`, { body: { context: 'Release <b>v3</b> to production?', timeout_seconds: 600 }, headers: bearer() });
    expect(created.status).toBe(201);
    const { page, problems } = await watchedPage();
    await signIn(page, stack, account.apiKey);
    await page.getByRole('link', { name: 'Messages', exact: true }).click();
    await page.getByRole('link', { name: 'Deploy v3?' }).click();
    await screenshot(page, 'message');
    await page.getByRole('link', { name: 'Approvals', exact: true }).click();
    await page.getByRole('heading', { name: 'Release <b>v3</b> to production?' }).waitFor();
    await screenshot(page, 'approvals');
    await page.getByLabel('Decision').selectOption('approve');
    await page.getByLabel('Notes (optional)').fill('ship it');
    await Promise.all([page.waitForURL(`${stack.url}/app/approvals`), page.getByRole('button', { name: 'Decide' }).click()]);

    const read = await request(`${stack.url}/api/approvals/${created.body.approval_id}`, { headers: bearer() });
    expect(read.body).toMatchObject({ status: 'approved', notes: 'ship it', decided_via: 'api' });
    expect(await page.getByText('Nothing is waiting for a decision.').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  test('when the person signs out, then the dashboard asks to sign in again and the session no longer opens anything', async () => {
    const { page } = await watchedPage();
    await signIn(page, stack, account.apiKey);
    const session = await sessionCookie(page);
    await Promise.all([page.waitForURL(`${stack.url}/app/sign-in`), page.getByRole('button', { name: 'Sign out' }).click()]);

    await page.goto(`${stack.url}/app/channels`);
    expect(page.url()).toBe(`${stack.url}/app/sign-in`);
    // The server ended it too: the old cookie, sent again, opens nothing.
    expect((await fetch(`${stack.url}/app`, { headers: { cookie: `pingback_session=${session}` }, redirect: 'manual' })).status).toBe(303);
    expect((await postForm(stack, '/app/channels', { name: 'after sign-out' }, session)).status).toBe(401);
  });
});

describe('more of what a person does there', () => {
  test('when the person presses Send a test on a channel, then a test message is sent and its page shows it delivered to the inbox', async () => {
    const { page, problems } = await watchedPage();
    await signIn(page, stack, account.apiKey);
    await page.goto(`${stack.url}/app/channels/${account.channelId}`);
    await screenshot(page, 'channel');
    await Promise.all([page.waitForURL(/\/app\/messages\/msg_/), page.getByRole('button', { name: 'Send a test' }).click()]);

    await page.getByRole('heading', { name: 'Test from Pingback' }).waitFor();
    const id = page.url().split('/').pop()!;
    expect((await request(`${stack.url}/api/messages/${id}`, { headers: bearer() })).body).toMatchObject({ title: 'Test from Pingback', channel_id: account.channelId });
    expect(problems).toEqual([]);
  });

  test('when the budget form is saved, then what it does not show (per-agent limits, anomaly detection) is kept', async () => {
    expect((await request(`${stack.url}/dhk/budget_form?stagePath=1&start=yes`, { body: { cost_usd: 0.01 }, headers: bearer() })).status).toBe(200);
    const set = await request(`${stack.url}/api/workflows/budget_form/budget`, {
      method: 'PUT',
      body: { budget_enabled: true, budget_limit_usd: 1, agent_daily_limits_usd: { planner: 0.5 }, cost_anomaly_detection: true, cost_anomaly_multiplier: 4 },
      headers: bearer(),
    });
    expect(set.status).toBe(200);
    const { page } = await watchedPage();
    await signIn(page, stack, account.apiKey);
    await page.goto(`${stack.url}/app/workflows/budget_form`);
    await page.getByLabel('Limit per instance (USD)').fill('2.5');
    await Promise.all([page.waitForURL(`${stack.url}/app/workflows/budget_form`), page.getByRole('button', { name: 'Save budget' }).click()]);

    await screenshot(page, 'workflow');
    const budget = await request(`${stack.url}/api/workflows/budget_form/budget`, { headers: bearer() });
    expect(budget.body).toMatchObject({ budget_limit_usd: 2.5, agent_daily_limits_usd: { planner: 0.5 }, cost_anomaly_detection: true, cost_anomaly_multiplier: 4 });
  });
});

describe('what the dashboard refuses', () => {
  test('when a form is posted without a session, then it is 401 and nothing changes', async () => {
    const before = await channelNames(stack, account.apiKey);
    const answer = await postForm(stack, '/app/channels', { name: 'forged', _csrf: 'x' });
    expect(answer.status).toBe(401);
    expect(await channelNames(stack, account.apiKey)).toEqual(before);
  });

  test('when a form carries a wrong CSRF token, or none, or another session\'s, then it is 403 and nothing changes', async () => {
    const { page } = await watchedPage();
    await signIn(page, stack, account.apiKey);
    const session = await sessionCookie(page);
    const { page: other } = await watchedPage();
    await signIn(other, stack, account.apiKey);
    await other.getByRole('link', { name: 'Channels', exact: true }).click();
    const othersToken = await other.locator('form.card input[name="_csrf"]').getAttribute('value');
    const before = await channelNames(stack, account.apiKey);

    for (const csrf of [undefined, 'wrong', othersToken!]) {
      const answer = await postForm(stack, '/app/channels', { name: 'forged', ...(csrf !== undefined ? { _csrf: csrf } : {}) }, session);
      expect(answer.status).toBe(403);
    }
    expect(await channelNames(stack, account.apiKey)).toEqual(before);
  });

  test('when the sign-in form is posted from elsewhere (no matching form cookie), or with a wrong key, then no session starts', async () => {
    expect((await postForm(stack, '/app/sign-in', { api_key: account.apiKey, _csrf: 'guessed' })).status).toBe(403);
    const { page } = await watchedPage();
    await page.goto(`${stack.url}/app/sign-in`);
    await page.getByLabel('API key').fill('pbk_not_a_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That is not an active API key').waitFor();
    expect((await page.context().cookies()).some((c) => c.name === 'pingback_session')).toBe(false);
  });

  test('when the session cookie is set, then it is HttpOnly, SameSite=Strict and limited to /app', async () => {
    const { page } = await watchedPage();
    await signIn(page, stack, account.apiKey);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'pingback_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/app' });
  });

  test('when a session outlives its lifetime, then its pages send to sign-in and its token opens nothing', async () => {
    const { page } = await watchedPage();
    await signIn(page, stack, account.apiKey);
    const session = await sessionCookie(page);
    const opened = () => fetch(`${stack.url}/app`, { headers: { cookie: `pingback_session=${session}` }, redirect: 'manual' }).then((answer) => answer.status);
    expect(await opened()).toBe(200);

    await waitFor(async () => (await opened()) === 303, { timeoutMs: SESSION_TTL_MS + 20_000, intervalMs: 500 });
    const csrf = (await page.locator('input[name="_csrf"]').first().getAttribute('value'))!;
    expect((await postForm(stack, '/app/channels', { name: 'after expiry', _csrf: csrf }, session)).status).toBe(401);
  }, 60_000);

  test('when a session token is used on the API from outside the dashboard (Bearer, ?key=), then it opens nothing: it cannot mint an API key', async () => {
    const { page } = await watchedPage();
    await signIn(page, stack, account.apiKey);
    const session = await sessionCookie(page);
    expect((await request(`${stack.url}/api/keys`, { body: { name: 'minted' }, headers: { authorization: `Bearer ${session}` } })).status).toBe(401);
    expect((await request(`${stack.url}/api/workflows`, { headers: { authorization: `Bearer ${session}` } })).status).toBe(401);
    expect((await request(`${stack.url}/api/workflows?key=${session}`)).status).toBe(401);
  });

  test('when a form comes from another origin of the same site (another port, which can plant cookies), then it is 403 and nothing changes', async () => {
    const signInForm = await fetch(`${stack.url}/app/sign-in`);
    const formCookie = /pingback_sign_in=([^;]+)/.exec(signInForm.headers.get('set-cookie') ?? '')![1]!;
    const planted = await fetch(`${stack.url}/app/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `pingback_sign_in=${formCookie}`, origin: 'http://127.0.0.1:1', 'sec-fetch-site': 'same-site' },
      body: new URLSearchParams({ api_key: account.apiKey, _csrf: formCookie }).toString(),
      redirect: 'manual',
    });
    expect(planted.status).toBe(403);
    expect(planted.headers.get('set-cookie') ?? '').not.toContain('pingback_session=pbs_');

    const { page } = await watchedPage();
    await signIn(page, stack, account.apiKey);
    const csrf = (await page.locator('input[name="_csrf"]').first().getAttribute('value'))!;
    const before = await channelNames(stack, account.apiKey);
    const forged = await fetch(`${stack.url}/app/channels`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `pingback_session=${await sessionCookie(page)}`, origin: 'http://127.0.0.1:1' },
      body: new URLSearchParams({ name: 'cross-origin', _csrf: csrf }).toString(),
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
    expect(await channelNames(stack, account.apiKey)).toEqual(before);
  });

  test('when a form is too large to read, then it is 413 and nothing changes; HEAD on a page is answered like GET', async () => {
    const { page } = await watchedPage();
    await signIn(page, stack, account.apiKey);
    const session = await sessionCookie(page);
    expect((await postForm(stack, '/app/sign-in', { api_key: 'x'.repeat(70_000), _csrf: 'x' })).status).toBe(413);
    expect((await fetch(`${stack.url}/app`, { method: 'HEAD', headers: { cookie: `pingback_session=${session}` }, redirect: 'manual' })).status).toBe(200);
  });

  test("when another account's ids are opened in the dashboard, then it shows not found and nothing of theirs", async () => {
    const other = await createChannel(stack);
    const { page } = await watchedPage();
    await signIn(page, stack, account.apiKey);
    const opened = await page.goto(`${stack.url}/app/channels/${other.channelId}`);
    expect(opened?.status()).toBe(404);
    const removed = await postForm(stack, `/app/channels/${other.channelId}/delete`, { _csrf: (await page.locator('input[name="_csrf"]').first().getAttribute('value'))! }, await sessionCookie(page));
    expect(removed.status).toBe(404);
    expect((await request(`${stack.url}/api/channels/${other.channelId}`, { headers: { authorization: `Bearer ${other.apiKey}` } })).status).toBe(200);
  });
});

describe('escaping and small screens', () => {
  test('when names and titles hold markup, then every page shows them as text and runs nothing', async () => {
    const markup = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
    expect((await request(`${stack.url}/api/channels`, { body: { name: markup }, headers: bearer() })).status).toBe(201);
    const sent = await request<{ id: string }>(`${stack.url}/v1/send/${account.token}`, { body: { title: markup, body: markup } });
    expect(sent.status).toBe(200);
    await messageIdTitled(stack, account.apiKey, markup);
    const ping = await request<{ instance_id: string }>(`${stack.url}/dhk/markup_flow?stagePath=1&start=yes`, { body: { cost_usd: 0.01, note: markup }, headers: bearer() });
    expect(ping.status).toBe(200);
    expect((await request(`${stack.url}/api/heartbeats`, { body: { id: 'markup_beat', name: markup, interval_seconds: 3600, grace_seconds: 60 }, headers: bearer() })).status).toBe(201);
    const room = await request<{ invite_code: string }>(`${stack.url}/api/rooms`, { body: { name: markup }, headers: bearer() });
    expect(room.status).toBe(201);
    const approval = await request<{ approval_id: string }>(`${stack.url}/api/approvals`, { body: { context: markup }, headers: bearer() });
    expect((await request(`${stack.url}/api/approvals/${approval.body.approval_id}/decide`, { body: { decision: 'deny', notes: markup }, headers: bearer() })).status).toBe(200);

    const { page, problems } = await watchedPage();
    await signIn(page, stack, account.apiKey);
    const pages = ['/app', '/app/channels', '/app/messages', `/app/messages/${sent.body.id}`, `/app/instances/${ping.body.instance_id}`, '/app/monitors', '/app/rooms', `/app/rooms/${room.body.invite_code}`, '/app/approvals'];
    for (const path of pages) {
      await page.goto(`${stack.url}${path}`);
      expect({ path, text: await page.locator('main').textContent() }).toEqual({ path, text: expect.stringContaining('<img src=x') });
      expect(await page.locator('main img, main script').count()).toBe(0);
      expect(await page.evaluate('typeof window.pwned')).toBe('undefined');
    }
    expect(problems).toEqual([]);
  });

  test('when each page is opened at phone width, then nothing is wider than the screen', async () => {
    for (const usd of [0.012, 0.03]) {
      await request(`${stack.url}/dhk/phone_flow?stagePath=1&start=yes&agent=planner`, { body: { cost_usd: usd, model_id: 'gpt-4o-mini' }, headers: bearer() });
    }
    const { page, problems } = await watchedPage(PHONE);
    await signIn(page, stack, account.apiKey);
    const sections = ['/app', '/app/channels', `/app/channels/${account.channelId}`, '/app/messages', '/app/deliveries', '/app/endpoints', '/app/rooms', '/app/workflows', '/app/workflows/phone_flow', '/app/monitors', '/app/approvals'];
    for (const path of sections) {
      const opened = await page.goto(`${stack.url}${path}`);
      expect({ path, status: opened?.status(), overflows: await overflowsSideways(page) }).toEqual({ path, status: 200, overflows: false });
    }
    await page.goto(`${stack.url}/app/workflows/phone_flow`);
    await screenshot(page, 'phone-workflow');
    expect(problems).toEqual([]);
  });
});
