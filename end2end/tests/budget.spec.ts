// The weight budget of a citizen page's first load, brotli-compressed as
// served: HTML+CSS ≤ 25 KB, everything (with JS and WASM) ≤ 100 KB.
import { test, expect, jsEnabled } from "./fixtures";

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
