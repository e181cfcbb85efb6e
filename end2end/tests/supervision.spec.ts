// The supervisors' dashboard and clusters at desk size, with and without
// JavaScript: the demo supervisor signs in, reads the figures of the demo
// cases (charts drawn on the server as SVG, the same numbers in tables),
// downloads the CSV and opens the clusters. axe-core and a screenshot at
// each step.
import { test, expect, expectAccessible } from "./fixtures";
import { demoStaff } from "./demo";

test.use({ viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false });

test("a supervisor reads the dashboard, downloads its CSV and opens the clusters", async ({ page }, testInfo) => {
  let step = 0;
  const shot = async (name: string) => {
    await expectAccessible(page);
    step += 1;
    await page.screenshot({ path: testInfo.outputPath(`${String(step).padStart(2, "0")}-${name}.png`), fullPage: true });
  };

  await page.goto("/equipe/connexion");
  await page.getByLabel("Identifiant").fill("demo-supervisor");
  await page.getByLabel("Mot de passe").fill(demoStaff().get("demo-supervisor")!);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/equipe$/);
  await page.getByRole("link", { name: "Tableau de bord" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tableau de bord");

  // The demo's cases were created today: the period's totals count them
  // (the server recomputes the figures every 2 seconds in this test run).
  const totals = page.locator("#period-figures");
  await expect(async () => {
    await page.reload();
    await expect(totals.locator("tr", { hasText: "Nouveaux cas" }).locator("td")).not.toHaveText("0", { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(page.locator("figure.chart svg[role=img]")).toHaveCount(4);
  await expect(page.getByRole("img", { name: /Nouveaux cas par jour/ }).locator("rect")).not.toHaveCount(0);
  const days = page.locator("table.figures-days tbody tr");
  await expect(days).toHaveCount(14);
  await shot("dashboard");

  // A period typed the French way; a wrong one is explained. The days are
  // Paris days, as the server counts them (between 23:00 and midnight UTC
  // the test machine's day is already over in Paris): today's Paris date,
  // then calendar arithmetic on it.
  const [pd, pm, py] = new Intl.DateTimeFormat("fr-FR", {
    timeZone: "Europe/Paris", day: "2-digit", month: "2-digit", year: "numeric",
  }).format(new Date()).split("/").map(Number);
  const today = new Date(Date.UTC(py, pm - 1, pd));
  const fr = (d: Date) => `${String(d.getUTCDate()).padStart(2, "0")}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${d.getUTCFullYear()}`;
  const weekAgo = new Date(Date.UTC(py, pm - 1, pd - 6));
  await page.getByLabel("Du (inclus)").fill(fr(today));
  await page.getByLabel("Au (inclus)").fill(fr(weekAgo));
  await page.getByRole("button", { name: "Afficher" }).click();
  await expect(page.getByText("La fin de la période doit venir après son début.")).toBeVisible();
  await shot("period-error");
  await page.getByLabel("Du (inclus)").fill(fr(weekAgo));
  await page.getByLabel("Au (inclus)").fill(fr(today));
  await page.getByRole("button", { name: "Afficher" }).click();
  await expect(days).toHaveCount(7);

  // The CSV of the same period: a header, 7 days, the total.
  const href = await page.getByRole("link", { name: /Télécharger les chiffres/ }).getAttribute("href");
  const csv = await page.request.get(href!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines).toHaveLength(9);
  expect(lines[0]).toMatch(/^day,cases,contacts_declared,/);
  expect(lines[8]).toMatch(/^total,[1-9]/);

  // The clusters of backward tracing.
  await page.getByRole("link", { name: "Foyers (rétrotracing)" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Foyers (rétrotracing)");
  await shot("clusters");
});
