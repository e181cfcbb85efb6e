// The contact's journey at 360×740, with and without JavaScript: the
// at-risk page, the negligible page, the attestation, a symptom report and a
// test report; a screenshot and axe-core at each step.
import { test, expect, expectAccessible, jsEnabled } from "./fixtures";
import { demoContacts } from "./demo";

function today() {
  const d = new Date();
  return { day: String(d.getDate()), month: String(d.getMonth() + 1), year: String(d.getFullYear()) };
}

async function fillDate(page: import("@playwright/test").Page) {
  const t = today();
  await page.getByLabel("Jour").fill(t.day);
  await page.getByLabel("Mois").fill(t.month);
  await page.getByLabel("Année").fill(t.year);
}

test("a contact reads their instructions, prints the attestation and reports", async ({ page }, testInfo) => {
  const contacts = demoContacts();
  let step = 0;
  const shot = async (name: string) => {
    await expectAccessible(page);
    step += 1;
    await page.screenshot({ path: testInfo.outputPath(`${String(step).padStart(2, "0")}-${name}.png`), fullPage: true });
  };

  // At risk: the answer first, the plan with today marked, the rights.
  await page.goto(contacts.get("Léa")!.path);
  await expect(page).toHaveURL(/\/contact$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vous êtes contact à risque");
  await expect(page.getByText(/Restez chez vous jusqu'au .* inclus\./)).toBeVisible();
  await expect(page.locator('.timeline [aria-current="date"]')).toContainText("aujourd'hui");
  await expect(page.getByRole("heading", { name: "Arrêt de travail sans jour de carence" })).toBeVisible();
  await expect(page.getByText("nous ne vous dirons pas qui c'est")).toBeVisible();
  await shot("at-risk");

  // The attestation, on screen and as printed.
  await page.getByRole("link", { name: "Attestation pour mon employeur" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Attestation d'isolement");
  await expect(page.getByText(/Léa Garnier a été identifié\(e\) le/)).toBeVisible();
  await expect(page.getByText(/Cette personne doit rester isolée du .* au .* inclus\./)).toBeVisible();
  await shot("attestation");
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await page.screenshot({ path: testInfo.outputPath("attestation-print.png"), fullPage: true });
  await page.emulateMedia({ media: "screen" });

  // Negligible risk: the general advice, and said so.
  await page.goto(contacts.get("Tom")!.path);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vous êtes contact à risque négligeable");
  await expect(page.getByText("Vous n'avez pas besoin de rester chez vous")).toBeVisible();
  await expect(page.getByRole("link", { name: "Attestation pour mon employeur" })).toHaveCount(0);
  await shot("negligible");

  // A symptom report (one contact per project: the demo data is shared).
  await page.goto(contacts.get(jsEnabled(testInfo) ? "Hugo" : "Jade")!.path);
  await page.getByRole("link", { name: "J'ai des symptômes" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Signaler des symptômes");
  // Tomorrow is refused, with the message, what was typed kept.
  const t = today();
  await page.getByLabel("Jour").fill("31");
  await page.getByLabel("Mois").fill("2");
  await page.getByLabel("Année").fill(t.year);
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page.getByRole("alert")).toContainText("Cette date n'existe pas");
  await expect(page.getByLabel("Jour")).toHaveValue("31");
  await shot("symptoms-error");
  await fillDate(page);
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page).toHaveURL(/\/contact$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vous avez des symptômes : isolez-vous");
  await shot("symptomatic");

  // A test report.
  await page.goto(contacts.get("Paul")!.path);
  await page.getByRole("link", { name: "J'ai fait un test" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enregistrer un test");
  await fillDate(page);
  await page.getByLabel("Négatif").check();
  await shot("test-form");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expect(page).toHaveURL(/\/contact$/);
  await expect(page.getByRole("heading", { name: "Vos tests" })).toBeVisible();
  await expect(page.locator("li", { hasText: "Négatif" }).first()).toBeVisible();
  await shot("test-recorded");
});

test("an unknown contact link gets the clear page", async ({ page }) => {
  const response = await page.goto("/c/AAAAAAAAAAAAAAAAAAAAAA");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ce lien n'est pas valable");
  await expectAccessible(page);
});
