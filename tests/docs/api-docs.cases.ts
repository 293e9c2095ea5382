import type { Browser } from 'playwright-core';
import { contextPool, launchChromium } from '../support/browser';
import { request } from '../support/api';
import { sharedStack } from '../clients/shared-stack';
import type { Stack } from '../support/stack';

let stack: Stack;
let browser: Browser;
const pages = contextPool(() => browser);

beforeAll(async () => {
  [stack, browser] = await Promise.all([sharedStack(), launchChromium()]);
}, 120_000);
afterEach(() => pages.closeAll());
afterAll(async () => {
  await browser?.close();
});

describe('/docs', () => {
  test('when /docs is opened in Chromium, then it renders the OpenAPI document with every request going to the gateway alone', async () => {
    const page = await pages.newPage();
    const requested: string[] = [];
    const blocked: string[] = [];
    page.on('request', (sent) => requested.push(sent.url()));
    page.on('console', (message) => message.type() === 'error' && blocked.push(`${message.text()} ${message.location().url}`));

    const opened = await page.goto(`${stack.url}/docs`);
    await page.getByText('/v1/send/{token}', { exact: true }).first().waitFor({ timeout: 30_000 });

    // Swagger UI draws operations as they scroll into view: scroll down until the approvals' section is drawn.
    const approvals = page.getByText('/api/approvals', { exact: true });
    for (let step = 0; step < 200 && (await approvals.count()) === 0; step++) await page.mouse.wheel(0, 600);
    expect(await approvals.count()).toBeGreaterThan(0);

    expect(opened?.status()).toBe(200);
    expect(requested.filter((url) => !url.startsWith(`${stack.url}/`))).toEqual([]);
    expect(requested).toEqual(expect.arrayContaining([`${stack.url}/openapi.json`, `${stack.url}/docs/assets/swagger-ui-bundle.js`]));
    expect(blocked).toEqual([]);
  });

  test('when the page or its files are fetched, then they carry a policy that allows this origin only', async () => {
    for (const path of ['/docs', '/docs/start.js', '/docs/assets/swagger-ui.css', '/docs/assets/swagger-ui-bundle.js']) {
      const answer = await fetch(`${stack.url}${path}`);
      expect({ path, status: answer.status, policy: answer.headers.get('content-security-policy') }).toMatchObject({ path, status: 200, policy: expect.stringContaining("default-src 'none'") });
    }
    // Only the two files the page uses: the package's demo page (which would load a petstore) is not served.
    expect((await request(`${stack.url}/docs/assets/index.html`)).status).toBe(404);
  });
});
