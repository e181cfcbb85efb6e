// The case's journey at 360×740, with and without JavaScript.
import { test, expect, expectAccessible } from "./fixtures";
import { demoCases } from "./demo";

test("a case confirms their date of birth and reaches their file", async ({ page }, testInfo) => {
  const demo = demoCases()[0];
  await page.goto(demo.path);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Confirmez votre identité");
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath("1-identity.png"), fullPage: true });

  // A date that does not exist: explained in a summary, what was typed kept.
  await page.getByLabel("Jour").fill("31");
  await page.getByLabel("Mois").fill("2");
  await page.getByLabel("Année").fill(demo.birth.year);
  await page.getByRole("button", { name: "Continuer" }).click();
  await expect(page.getByRole("alert")).toContainText("Cette date n'existe pas");
  await expect(page.getByLabel("Jour")).toHaveValue("31");
  await expect(page.getByRole("alert")).toBeFocused();
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath("2-identity-error.png"), fullPage: true });

  await page.getByLabel("Jour").fill(demo.birth.day);
  await page.getByLabel("Mois").fill(demo.birth.month);
  await page.getByLabel("Année").fill(demo.birth.year);
  await page.getByRole("button", { name: "Continuer" }).click();
  await expect(page).toHaveURL(/\/dossier$/);
  await expect(page.getByText("Votre identité est confirmée.")).toBeVisible();
  expect(page.url()).not.toContain(demo.path.split("/").pop()!);
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath("3-dossier.png"), fullPage: true });
});

test("five wrong dates of birth lock the link", async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== "nojs", "locks a shared demo case: run once");
  const demo = demoCases()[3];
  await page.goto(demo.path);
  for (let tries = 4; tries >= 1; tries--) {
    await page.getByLabel("Jour").fill("1");
    await page.getByLabel("Mois").fill("1");
    await page.getByLabel("Année").fill("1950");
    await page.getByRole("button", { name: "Continuer" }).click();
    await expect(page.getByRole("alert")).toContainText(`Essais restants avant le blocage du lien : ${tries}`);
  }
  await page.getByLabel("Jour").fill("1");
  await page.getByLabel("Mois").fill("1");
  await page.getByLabel("Année").fill("1950");
  await page.getByRole("button", { name: "Continuer" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ce lien est bloqué");
  await expect(page.getByText(/3646/).first()).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath("locked.png"), fullPage: true });
});

test("an unusable link gets a clear page", async ({ page }) => {
  const response = await page.goto("/d/AAAAAAAAAAAAAAAAAAAAAA");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ce lien n'est pas valable");
  await expectAccessible(page);
});
