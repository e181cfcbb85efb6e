// The whole case journey at 360×740, with and without JavaScript: from the
// SMS link to the confirmation, a screenshot of each step, axe-core on each.
import { test, expect, expectAccessible, jsEnabled } from "./fixtures";
import { demoCases } from "./demo";

/** The day `n` days before today, as the three date fields want it. */
function daysAgo(n: number) {
  const d = new Date();
  d.setDate(d.getDate() - n);
  return { day: String(d.getDate()), month: String(d.getMonth() + 1), year: String(d.getFullYear()) };
}

async function fillDate(page: import("@playwright/test").Page, date: ReturnType<typeof daysAgo>) {
  await page.getByLabel("Jour").fill(date.day);
  await page.getByLabel("Mois").fill(date.month);
  await page.getByLabel("Année").fill(date.year);
}

test("a case declares a contact and a place, checks and sends once", async ({ page }, testInfo) => {
  // One demo case per project: the journey sends the declaration.
  const demo = demoCases()[testInfo.project.name === "js" ? 1 : 2];
  let step = 0;
  const shot = async (name: string) => {
    await expectAccessible(page);
    step += 1;
    await page.screenshot({ path: testInfo.outputPath(`${String(step).padStart(2, "0")}-${name}.png`), fullPage: true });
  };

  await page.goto(demo.path);
  await shot("arrival");
  await fillDate(page, demo.birth);
  await page.getByRole("button", { name: "Continuer" }).click();
  await expect(page).toHaveURL(/\/dossier$/);
  await shot("dossier");

  await page.getByRole("link", { name: "Les personnes que vous avez rencontrées" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Les personnes rencontrées");
  await shot("contacts-empty");

  // An empty form: every problem in the summary, nothing lost.
  await page.getByRole("link", { name: "Ajouter une personne" }).click();
  await page.getByLabel("Nom", { exact: true }).fill("Quillard");
  await page.getByRole("button", { name: "Enregistrer cette personne" }).click();
  await expect(page.getByRole("alert")).toContainText("Indiquez le prénom");
  await expect(page.getByRole("alert")).toContainText("Indiquez un numéro de téléphone");
  await expect(page.getByLabel("Nom", { exact: true })).toHaveValue("Quillard");
  await shot("contact-errors");

  await page.getByLabel("Prénom").fill("Berthe");
  await page.getByLabel("Téléphone portable").fill("06 39 98 01 20");
  await page.getByLabel("Travail", { exact: true }).check();
  await fillDate(page, daysAgo(2));
  await page.getByLabel("face à face à moins d'un mètre", { exact: true }).check();
  await page.getByRole("radio", { name: "Non", exact: true }).check();
  if (jsEnabled(testInfo)) {
    // The rules engine in the browser classifies as the person ticks.
    const preview = page.locator(".risk-preview");
    await expect(preview.locator(".tag")).toHaveText("Contact à risque");
    await page.getByLabel("masque chirurgical ou FFP2 porté par la personne malade").check();
    await expect(preview.locator(".tag")).toHaveText("Contact à risque négligeable");
    await expect(preview).toContainText("risque écarté par masque chirurgical");
    await page.getByLabel("masque chirurgical ou FFP2 porté par la personne malade").uncheck();
    await expect(preview.locator(".tag")).toHaveText("Contact à risque");
    await shot("contact-preview");
  }
  await page.getByRole("button", { name: "Enregistrer cette personne" }).click();
  await expect(page).toHaveURL(/\/dossier\/contacts(#item-\d+)?$/);
  const card = page.locator(".card", { hasText: "Berthe Quillard" });
  await expect(card.locator(".tag")).toHaveText("Contact à risque");
  await expect(card).toContainText("À risque : face à face à moins d'un mètre.");
  await expect(card).toContainText("06 39 98 01 20");
  await shot("contacts-one");

  await page.getByRole("link", { name: "Continuer : les lieux et rassemblements" }).click();
  await page.getByRole("link", { name: "Ajouter un lieu ou un rassemblement" }).click();
  await page.getByLabel("Restaurant, café, bar").check();
  await page.getByLabel("Nom du lieu ou de l'événement").fill("Le Central");
  await page.getByLabel("Commune").fill("Lyon");
  await fillDate(page, daysAgo(3));
  await page.getByLabel("Environ combien de personnes (facultatif)").fill("40");
  await page.getByLabel("À l'intérieur").check();
  await page.getByLabel("Sans masque").check();
  await shot("place-form");
  await page.getByRole("button", { name: "Enregistrer ce lieu" }).click();
  await expect(page.locator(".card", { hasText: "Le Central" })).toContainText("environ 40 personnes");
  await shot("places-one");

  await page.getByRole("link", { name: "Continuer : vérifier et envoyer" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vérifiez votre déclaration");
  await expect(page.locator("dt", { hasText: "Berthe Quillard" })).toBeVisible();
  await expect(page.locator("dt", { hasText: "Le Central" })).toBeVisible();
  await shot("check");

  await page.getByRole("button", { name: "Envoyer ma déclaration" }).click();
  await expect(page).toHaveURL(/\/dossier\/envoyee$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Votre déclaration est envoyée");
  await expect(page.getByText(/Restez isolé jusqu/)).toBeVisible();
  await shot("confirmation");

  // Sent once: the check page no longer offers to send, and says changes
  // still reach the tracer.
  await page.goto("/dossier/envoi");
  await expect(page.getByRole("button", { name: "Envoyer ma déclaration" })).toHaveCount(0);
  await expect(page.getByText(/Votre déclaration est envoyée. Vous pouvez encore/)).toBeVisible();
});
