// End-to-end tests: Debian's Chromium (never a downloaded browser), a phone
// viewport, once with JavaScript and once without. The server is the release
// binary on a fresh SQLite database (see server.mjs).
import { defineConfig, devices } from "@playwright/test";

// The service's day is the Paris day: the tests' "today" (the dates they type
// and the dates they expect on a page) is taken in Paris too, whatever the
// machine's zone. The workers inherit it.
process.env.TZ = "Europe/Paris";

const port = Number(process.env.RELAIS_E2E_PORT ?? 3917);
export const baseURL = `http://127.0.0.1:${port}`;

const chromium = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

const phone = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent: devices["Pixel 5"].userAgent,
  launchOptions: chromium,
};

export default defineConfig({
  testDir: "./tests",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // A journey is a dozen pages, each checked by axe-core (without JavaScript,
  // in a page of its own): 15–40 s on the 2-core CI machine, more when it is
  // busy. A hung step still fails, within a minute and a half.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: { baseURL, trace: "off", locale: "fr-FR", timezoneId: "Europe/Paris" },
  projects: [
    { name: "js", use: { ...phone, javaScriptEnabled: true } },
    { name: "nojs", use: { ...phone, javaScriptEnabled: false } },
  ],
  webServer: {
    command: "node server.mjs",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    env: { RELAIS_E2E_PORT: String(port) },
  },
});
