// Starts the release `relais` binary on a fresh SQLite database in a
// temporary folder, with the demo data, for the end-to-end tests.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const binary = process.env.RELAIS_E2E_BINARY;
if (!binary) {
  console.error("RELAIS_E2E_BINARY is not set: run the tests through scripts/test");
  process.exit(2);
}
const port = process.env.RELAIS_E2E_PORT ?? "3917";
const dir = mkdtempSync(join(tmpdir(), "relais-e2e-"));
const env = {
  ...process.env,
  RELAIS_DATABASE_URL: `sqlite://${dir}/relais.db`,
  RELAIS_ADDR: `127.0.0.1:${port}`,
  RELAIS_PUBLIC_URL: `http://127.0.0.1:${port}`,
  RELAIS_SITE_ROOT: resolve("../target/site"),
  RELAIS_LOG: "warn",
  // The SMS the service sends (log provider), for the tests that follow a link.
  RELAIS_SMS_LOG_FILE: join(dir, "sms.log"),
  // Today's cases under the rules of January 2022 replayed (quarantine for
  // the unvaccinated, self-tests, the case's early release).
  RELAIS_DOCTRINE_DIR: resolve("../doctrine/replay"),
  // The dashboard reflects what the other tests did within seconds.
  RELAIS_FIGURES_REFRESH_SECONDS: "2",
};
// The demo links and passwords, for the tests that follow a journey.
const demo = execFileSync(binary, ["demo"], { env, encoding: "utf8" });
writeFileSync(join(tmpdir(), `relais-e2e-demo-${port}.txt`), demo);
writeFileSync(join(tmpdir(), `relais-e2e-sms-${port}.txt`), join(dir, "sms.log"));

const child = spawn(binary, ["serve"], { env, stdio: "inherit" });
const stop = () => child.kill("SIGTERM");
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code) => process.exit(code ?? 0));
