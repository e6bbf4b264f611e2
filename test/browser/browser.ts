import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROOT } from '../support/stack.js';

/** Screenshots land here (gitignored), one PNG per page the walk visits. */
export const SCREENSHOTS = path.join(ROOT, 'test-artifacts/screenshots');

/**
 * A page that records every console error and uncaught exception into `errors`, so a test can
 * assert the app ran cleanly in the browser.
 */
export async function trackedPage(context: BrowserContext, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: uncaught ${error.message}`));
  return page;
}

/** Save a full-page screenshot as `web-<name>.png` under SCREENSHOTS. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `web-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Assert that exactly one element matches, once the page has shown one: `locator.count()` does
 * not wait, so right after a click that navigates it may still count the previous page.
 */
export async function expectOne(locator: Locator): Promise<void> {
  await locator.first().waitFor();
  expect(await locator.count()).toBe(1);
}

/** 375 px: the narrowest phone the web app is checked at. */
export const PHONE_WIDTH = 375;

/**
 * A phone-sized page signed in as `page` is (same cookies), whose errors also land in `errors`.
 * `fits()` loads a route and asserts nothing is wider than the screen.
 */
export async function phoneLike(page: Page, errors: string[]) {
  const browser = page.context().browser();
  if (!browser) throw new Error('the page has no browser');
  const context = await browser.newContext({
    viewport: { width: PHONE_WIDTH, height: 740 },
    isMobile: true,
    hasTouch: true,
    storageState: await page.context().storageState(),
  });
  const phone = await trackedPage(context, errors);
  const width = () => phone.evaluate(() => document.documentElement.scrollWidth);
  return {
    page: phone,
    width,
    async fits(url: string) {
      await phone.goto(url);
      expect(await width(), url).toBeLessThanOrEqual(PHONE_WIDTH);
    },
    close: () => context.close(),
  };
}

/** Register through the web form, as a newcomer would; ends on the "new channel" page it leads to. */
export async function registerInBrowser(
  page: Page,
  edgeUrl: string,
  user: { email: string; username: string; password: string },
): Promise<void> {
  await page.goto(`${edgeUrl}/register`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.waitForURL('**/channels/new');
}
