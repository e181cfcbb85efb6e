// The weight budget of a citizen page's first load, brotli-compressed as
// served: HTML+CSS ≤ 25 KB, everything (with JS and WASM) ≤ 100 KB.
import { test, expect, jsEnabled, projectContext, recordConsoleErrors } from "./fixtures";

test("the home page's first load stays within the weight budget", async ({ page }, testInfo) => {
  test.skip(!jsEnabled(testInfo), "the full budget includes the WASM");
  const sizes: { url: string; type: string; bytes: number }[] = [];
  page.on("requestfinished", async (request) => {
    const s = await request.sizes();
    const response = await request.response();
    const type = response?.headers()["content-type"] ?? "";
    sizes.push({ url: request.url(), type, bytes: s.responseBodySize });
  });
  await page.goto("/", { waitUntil: "networkidle" });
  const htmlCss = sizes
    .filter((s) => s.type.startsWith("text/html") || s.type.startsWith("text/css"))
    .reduce((a, s) => a + s.bytes, 0);
  const total = sizes.reduce((a, s) => a + s.bytes, 0);
  console.log(`home page: HTML+CSS ${htmlCss} B, total ${total} B over ${sizes.length} requests`);
  expect(sizes.some((s) => s.url.endsWith(".wasm")), "the islands' WASM was loaded").toBe(true);
  expect(htmlCss).toBeLessThanOrEqual(25 * 1024);
  expect(total).toBeLessThanOrEqual(100 * 1024);
});

// The same first load in each language of the citizens' pages: the text of
// a language (Arabic and Chinese weigh more per letter) must not push the
// page over the budget. Each language in a fresh context (nothing cached),
// the choice in the `relais_lang` cookie.
const LANGS = ["fr", "en", "ar", "es", "pt", "tr", "ro", "zh"] as const;

test("the home page's first load stays within the weight budget in each language", async ({ browser, consoleErrors }, testInfo) => {
  test.skip(!jsEnabled(testInfo), "the full budget includes the WASM");
  const baseURL = testInfo.project.use.baseURL!;
  for (const code of LANGS) {
    const context = await projectContext(browser, testInfo, { javaScriptEnabled: true });
    await context.addCookies([{ name: "relais_lang", value: code, url: baseURL }]);
    const page = await context.newPage();
    recordConsoleErrors(page, consoleErrors, code);
    const measured: Promise<{ url: string; type: string; bytes: number }>[] = [];
    page.on("requestfinished", (request) => {
      measured.push(
        (async () => {
          const s = await request.sizes();
          const response = await request.response();
          const type = response?.headers()["content-type"] ?? "";
          return { url: request.url(), type, bytes: s.responseBodySize };
        })(),
      );
    });
    // The document's own status (the console recorder leaves it to the test).
    const response = await page.goto("/", { waitUntil: "networkidle" });
    expect(response?.status(), `[${code}] home page status`).toBe(200);
    await expect(page.locator("html")).toHaveAttribute("lang", code === "zh" ? "zh-Hans" : code);
    const sizes = await Promise.all(measured);
    await context.close();
    const htmlCss = sizes
      .filter((s) => s.type.startsWith("text/html") || s.type.startsWith("text/css"))
      .reduce((a, s) => a + s.bytes, 0);
    const total = sizes.reduce((a, s) => a + s.bytes, 0);
    console.log(`home page [${code}]: HTML+CSS ${htmlCss} B, total ${total} B over ${sizes.length} requests`);
    if (htmlCss > 25 * 1024 || total > 100 * 1024) {
      for (const s of sizes) console.log(`  [${code}] ${s.bytes} B ${new URL(s.url).pathname} (${s.type})`);
    }
    expect.soft(sizes.some((s) => s.url.endsWith(".wasm")), `[${code}] the islands' WASM was loaded`).toBe(true);
    expect.soft(htmlCss, `[${code}] HTML+CSS`).toBeLessThanOrEqual(25 * 1024);
    expect.soft(total, `[${code}] total`).toBeLessThanOrEqual(100 * 1024);
  }
});
