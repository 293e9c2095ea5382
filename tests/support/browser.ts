import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page, type Response } from 'playwright-core';

/** Debian's Chromium (CONTRACT §9); playwright-core never downloads a browser of its own here. */
export const CHROMIUM_EXECUTABLE = process.env.PINGBACK_CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags that let Chromium run as root on a machine with a closed network: without the background-networking
 * ones it keeps trying to reach Google's hosts. Playwright gives every launch a new empty profile.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, headless: true, args: CHROMIUM_ARGS });
}

/** A phone-sized screen (an iPhone 12-16 in CSS pixels). */
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/**
 * Hands out browser contexts (each one a fresh cookie jar) and closes them all at once, so a test that fails
 * half-way leaves nothing open: call `closeAll` in afterEach.
 */
export function contextPool(browser: () => Browser) {
  const open: BrowserContext[] = [];
  return {
    async newPage(options: BrowserContextOptions = {}): Promise<Page> {
      const context = await browser().newContext(options);
      open.push(context);
      return context.newPage();
    },
    async closeAll(): Promise<void> {
      await Promise.all(open.splice(0).map((context) => context.close()));
    },
  };
}

/**
 * Does something that submits a form (a click on a submit button) and resolves once the page the POST
 * answered with has loaded, with that response. Works with JavaScript disabled: the browser posts the form.
 */
export async function submitForm(page: Page, submit: () => Promise<void>): Promise<Response> {
  const loaded = page.waitForEvent('load');
  const answered = page.waitForResponse((r) => r.request().isNavigationRequest() && r.request().method() === 'POST');
  await submit();
  const [response] = await Promise.all([answered, loaded]);
  return response;
}

/** Opens a URL and fails loudly if the browser got no response (a download, a same-document navigation). */
export async function open(page: Page, url: string): Promise<Response> {
  const response = await page.goto(url);
  if (!response) throw new Error(`no response for ${url}`);
  return response;
}
