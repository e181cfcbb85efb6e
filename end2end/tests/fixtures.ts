// Every test fails on a browser console error or an uncaught page error:
// that is what catches a page that never hydrates (a broken WASM build).
import { test as base, expect } from "@playwright/test";
import type { Browser, BrowserContext, BrowserContextOptions, Page, TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      recordConsoleErrors(page, errors);
      await use(errors);
      expect(errors, "browser console errors").toEqual([]);
    },
    { auto: true },
  ],
});

/**
 * Records a page's console errors and uncaught exceptions into `errors`
 * (the list the `consoleErrors` fixture fails the test on), each prefixed
 * with `label` when given. The document's own status (a 404 page, say) is
 * checked by the test itself; any other failed resource is an error.
 */
export function recordConsoleErrors(page: Page, errors: string[], label = "") {
  const tag = label ? `[${label}] ` : "";
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const documentStatus = msg.text().startsWith("Failed to load resource") && msg.location().url === page.url();
    if (!documentStatus) errors.push(tag + msg.text());
  });
  page.on("pageerror", (err) => errors.push(tag + String(err)));
}

/**
 * A context of its own (no cookie, nothing cached) with the project's
 * phone settings, `overrides` applied on top (a locale, a desk's size…).
 */
export async function projectContext(
  browser: Browser,
  testInfo: TestInfo,
  overrides: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const use = testInfo.project.use;
  return browser.newContext({
    baseURL: use.baseURL,
    viewport: use.viewport,
    deviceScaleFactor: use.deviceScaleFactor,
    isMobile: use.isMobile,
    hasTouch: use.hasTouch,
    userAgent: use.userAgent,
    locale: use.locale,
    javaScriptEnabled: use.javaScriptEnabled,
    ...overrides,
  });
}

export { expect };

/**
 * Runs axe-core (WCAG 2.1 A and AA) on the current page and expects no
 * violation. axe needs JavaScript: without it, the same URL is opened with the
 * same cookies and viewport in a JavaScript-enabled page (every page of the
 * service is addressable by its URL, errors included).
 */
export async function expectAccessible(page: import("@playwright/test").Page) {
  let target = page;
  let scratch: import("@playwright/test").BrowserContext | undefined;
  const jsOff = test.info().project.use.javaScriptEnabled === false;
  if (jsOff) {
    const browser = page.context().browser()!;
    scratch = await browser.newContext({
      storageState: await page.context().storageState(),
      viewport: page.viewportSize(),
      javaScriptEnabled: true,
    });
    target = await scratch.newPage();
    await target.goto(page.url());
  }
  const results = await new AxeBuilder({ page: target })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  await scratch?.close();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
  expect(summary, "axe-core violations").toEqual([]);
}

/** True when the test runs with JavaScript enabled. */
export function jsEnabled(testInfo: import("@playwright/test").TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}
