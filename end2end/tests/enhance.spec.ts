// With JavaScript, the declaration's pages swap in place (enhance.js): adding
// a contact reloads nothing, the Back button works, the focus goes where a
// screen reader needs it, and a dropped connection loses nothing typed.
import { test, expect, expectAccessible, jsEnabled } from "./fixtures";
import { demoCases } from "./demo";

test("adding a contact needs no page reload, and a lost connection keeps what was typed", async ({ page, consoleErrors }, testInfo) => {
  test.skip(!jsEnabled(testInfo), "enhancement only: the plain forms are covered by declaration.spec.ts");
  const demo = demoCases()[0];
  await page.goto(demo.path);
  await page.getByLabel("Jour").fill(demo.birth.day);
  await page.getByLabel("Mois").fill(demo.birth.month);
  await page.getByLabel("Année").fill(demo.birth.year);
  await page.getByRole("button", { name: "Continuer" }).click();
  await expect(page).toHaveURL(/\/dossier$/);

  // A marker on the window: a page reload would wipe it.
  await page.evaluate(() => ((window as unknown as { relaisMarker: string }).relaisMarker = "same page"));
  const samePage = () => page.evaluate(() => (window as unknown as { relaisMarker?: string }).relaisMarker);

  await page.getByRole("link", { name: "Les personnes que vous avez rencontrées" }).click();
  await expect(page).toHaveURL(/\/dossier\/contacts$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Les personnes rencontrées");
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
  await expect(page).toHaveTitle(/Les personnes rencontrées/);

  await page.getByRole("link", { name: "Ajouter une personne" }).click();
  await expect(page).toHaveURL(/\/dossier\/contacts\/nouveau$/);
  await page.getByLabel("Prénom").fill("Aimée");
  await page.getByLabel("Nom", { exact: true }).fill("Vasseur");
  await page.getByLabel("Téléphone portable").fill("06 12 34 56 78");
  await page.getByLabel("Famille", { exact: true }).check();
  // Two days ago: the day this demo case's symptoms began, inside the window.
  const met = new Date();
  met.setDate(met.getDate() - 2);
  await page.getByLabel("Jour").fill(String(met.getDate()));
  await page.getByLabel("Mois").fill(String(met.getMonth() + 1));
  await page.getByLabel("Année").fill(String(met.getFullYear()));
  await page.getByLabel("face à face à moins d'un mètre", { exact: true }).check();
  await page.getByRole("radio", { name: "Non", exact: true }).check();
  // The island of the swapped-in form is awake: it classifies at once.
  await expect(page.locator(".risk-preview .tag")).toHaveText("Contact à risque");

  // The connection drops as the person saves: the page stays, with all they typed.
  await page.route("**/api/case/contact", (route) => route.abort("internetdisconnected"));
  await page.getByRole("button", { name: "Enregistrer cette personne" }).click();
  const lost = page.locator("#connection-lost");
  await expect(lost).toBeVisible();
  await expect(lost).toContainText("La connexion a été perdue");
  await expect(page.getByLabel("Prénom")).toHaveValue("Aimée");
  await expect(page.getByLabel("Téléphone portable")).toHaveValue("06 12 34 56 78");
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath("1-connection-lost.png"), fullPage: true });

  // The one console error this test causes on purpose: the cut request.
  const cut = consoleErrors.filter((e) => e.includes("ERR_INTERNET_DISCONNECTED"));
  expect(cut.length).toBe(1);
  consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !cut.includes(e)));

  // Back online: saved, and the list shows the contact with its classification.
  await page.unroute("**/api/case/contact");
  await page.getByRole("button", { name: "Enregistrer cette personne" }).click();
  await expect(page).toHaveURL(/\/dossier\/contacts$/);
  await expect(lost).toBeHidden();
  const card = page.locator(".card", { hasText: "Aimée Vasseur" });
  await expect(card.locator(".tag")).toHaveText("Contact à risque");
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
  expect(await samePage()).toBe("same page");
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath("2-contact-added.png"), fullPage: true });

  // An invalid change: the error summary takes the focus, still no reload.
  await card.getByRole("link", { name: /Modifier/ }).click();
  await page.getByLabel("Téléphone portable").fill("12");
  await page.getByRole("button", { name: "Enregistrer cette personne" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "numéro" })).toBeFocused();
  await expect(page.getByLabel("Téléphone portable")).toHaveValue("12");
  expect(await samePage()).toBe("same page");

  // Back goes to the list, as without JavaScript.
  await page.goBack();
  await expect(page).toHaveURL(/\/dossier\/contacts/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await samePage()).toBe("same page");
});
