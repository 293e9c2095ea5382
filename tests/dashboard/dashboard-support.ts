import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { request } from '../support/api';
import type { Stack } from '../support/stack';

/** Where the test run writes the dashboard's screenshots; docs/dashboard.md and the README link them. */
export const SCREENSHOTS = join(__dirname, '../../docs/screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the form, as a person does, and waits for the overview. */
export async function signIn(page: Page, stack: Stack, apiKey: string): Promise<void> {
  await page.goto(`${stack.url}/app`);
  await page.waitForURL(`${stack.url}/app/sign-in`);
  await page.getByLabel('API key').fill(apiKey);
  await Promise.all([page.waitForURL(`${stack.url}/app`), page.getByRole('button', { name: 'Sign in' }).click()]);
}

/** The dashboard's session cookie in the page's browser context. */
export async function sessionCookie(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'pingback_session');
  if (!cookie) throw new Error('not signed in');
  return cookie.value;
}

/** A form post made outside the page (another site, a script): urlencoded, with the cookie and fields given. */
export async function postForm(stack: Stack, path: string, fields: Record<string, string>, cookie?: string) {
  const answer = await fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie: `pingback_session=${cookie}` } : {}) },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return { status: answer.status, location: answer.headers.get('location'), text: await answer.text() };
}

export const channelNames = async (stack: Stack, apiKey: string) =>
  (await request<{ data: Array<{ name: string }> }>(`${stack.url}/api/channels?limit=100`, { headers: { authorization: `Bearer ${apiKey}` } })).body.data.map((c) => c.name);

/** Whether the page is wider than the screen (something would scroll sideways). */
export const overflowsSideways = (page: Page) => page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth + 1');
