// Mutual aid between the demo's two funds, at desk size, with and without
// JavaScript: the national supervisor sees each fund's backlog, lends the
// oldest Oise case not yet called to the Somme, the Somme's tracer finds it
// in their queue marked as lent, and the supervisor takes the lend back (the
// case was not opened: it returns). The demo data end as they began. axe-core
// and a screenshot at each step.
import { test, expect, expectAccessible } from "./fixtures";
import { demoStaff } from "./demo";
import type { Page, TestInfo } from "@playwright/test";

test.use({ viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false });

async function signIn(page: Page, username: string) {
  await page.goto("/equipe/connexion");
  await page.getByLabel("Identifiant").fill(username);
  await page.getByLabel("Mot de passe").fill(demoStaff().get(username)!);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/equipe$/);
}

test("the national supervisor lends an Oise case to the Somme and takes it back", async ({ page, browser }, testInfo: TestInfo) => {
  const js = testInfo.project.use.javaScriptEnabled !== false;
  let step = 0;
  const shot = async (p: Page, name: string) => {
    await expectAccessible(p);
    step += 1;
    await p.screenshot({ path: testInfo.outputPath(`${String(step).padStart(2, "0")}-${name}.png`), fullPage: true });
  };

  // What the Somme's queue holds as lent before (nothing, unless an earlier
  // run stopped half-way).
  const before = await browser.newContext({ javaScriptEnabled: js });
  const beforePage = await before.newPage();
  await signIn(beforePage, "demo-somme-tracer");
  const lentBefore = await beforePage.locator("tbody tr", { hasText: "prêté à votre équipe" }).count();
  await before.close();

  await signIn(page, "demo-supervisor");
  await page.getByRole("link", { name: "Tableau de bord" }).click();
  await page.getByRole("link", { name: "Entraide entre caisses" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Entraide entre caisses");
  const backlogs = page.locator("#backlogs");
  await expect(backlogs.locator("tr", { hasText: "CPAM de l'Oise (démo)" })).toContainText(/prélevé le/);
  await expect(backlogs.locator("tr", { hasText: "CPAM de la Somme (démo)" })).toBeVisible();
  await shot(page, "backlogs");

  // The first form lends the backlog (the second, a share of new cases).
  const lendForm = page.locator("form").filter({ has: page.getByRole("button", { name: "Prêter ces cas" }) });

  // A wrong number is explained; nothing is lent.
  await lendForm.getByLabel("File à soulager").selectOption({ label: "CPAM de l'Oise (démo) — 60 Oise" });
  await lendForm.getByLabel("Organisation qui aide").selectOption({ label: "CPAM de la Somme (démo)" });
  await lendForm.getByLabel("Nombre de cas à prêter").fill("0");
  await page.getByRole("button", { name: "Prêter ces cas" }).click();
  await expect(page.getByRole("alert")).toHaveText("Indiquez un nombre de cas entre 1 et 50 000.");
  await shot(page, "count-error");

  await lendForm.getByLabel("File à soulager").selectOption({ label: "CPAM de l'Oise (démo) — 60 Oise" });
  await lendForm.getByLabel("Organisation qui aide").selectOption({ label: "CPAM de la Somme (démo)" });
  await lendForm.getByLabel("Nombre de cas à prêter").fill("1");
  await page.getByRole("button", { name: "Prêter ces cas" }).click();
  await expect(page.getByRole("status")).toHaveText("Prêt enregistré : 1 cas prêtés.");
  const lends = page.locator("#lends tbody tr");
  await expect(lends.first()).toContainText("1 prêtés sur 1 demandés ; 1 encore prêtés, 0 repris");
  await shot(page, "lent");

  // The Somme's tracer sees the lent case in their queue, marked.
  const sommeContext = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 1280, height: 900 } });
  const somme = await sommeContext.newPage();
  await signIn(somme, "demo-somme-tracer");
  const lentRows = somme.locator("tbody tr", { hasText: "prêté à votre équipe" });
  await expect(lentRows).toHaveCount(lentBefore + 1);
  await expect(lentRows.first()).toContainText("DEMO-");
  await shot(somme, "somme-queue");

  // Taken back before anyone opened it: it returns to the Oise.
  await lends.first().getByRole("button", { name: /Reprendre les cas non ouverts/ }).click();
  await expect(page.getByRole("status")).toHaveText("Prêt repris : 1 cas rendus à l'équipe qui les avait prêtés.");
  await expect(lends.first()).toContainText("0 encore prêtés, 1 repris");
  await shot(page, "taken-back");
  await somme.reload();
  await expect(lentRows).toHaveCount(lentBefore);
  await sommeContext.close();
});
