// The tracers' console at tablet size, with and without JavaScript: a
// tracer signs in, finds the case whose list the patient journey sent
// (declaration.spec.ts runs first: DEMO-0002 with JavaScript, DEMO-0003
// without), corrects a contact's phone, validates the list and sees the
// notification SMS queued. axe-core and a screenshot at each step.
import { test, expect, expectAccessible } from "./fixtures";
import { demoCases, demoStaff, smsLog } from "./demo";

test.use({ viewport: { width: 1024, height: 768 }, isMobile: false, hasTouch: true });

test("a tracer corrects a phone, validates the list and the SMS is queued", async ({ page }, testInfo) => {
  const js = testInfo.project.name === "js";
  const demo = demoCases()[js ? 1 : 2];
  const newPhone = js ? "06 39 98 01 21" : "06 39 98 01 22";
  let step = 0;
  const shot = async (name: string) => {
    await expectAccessible(page);
    step += 1;
    await page.screenshot({ path: testInfo.outputPath(`${String(step).padStart(2, "0")}-${name}.png`), fullPage: true });
  };

  // Signed out, the console sends to the sign-in page.
  const refused = await page.goto("/equipe");
  expect(refused?.status()).toBe(401);
  await page.goto("/equipe/connexion");
  await shot("sign-in");
  await page.getByLabel("Identifiant").fill("demo-tracer");
  await page.getByLabel("Mot de passe").fill("not-the-password");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("alert")).toContainText("Identifiant ou mot de passe incorrect");
  await page.getByLabel("Identifiant").fill("demo-tracer");
  await page.getByLabel("Mot de passe").fill(demoStaff().get("demo-tracer")!);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/equipe$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("File d'attente");
  await shot("queue");

  // Find the case by its reference: its list is ready.
  await page.getByLabel("Rechercher un dossier").fill(demo.reference.toLowerCase());
  await page.getByRole("button", { name: "Filtrer" }).click();
  const row = page.locator("tbody tr", { hasText: demo.reference });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("liste prête : 1");
  await shot("search");
  await row.getByRole("link", { name: demo.reference }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Dossier ${demo.reference}`);
  const card = page.locator(".card", { hasText: "Berthe Quillard" });
  await expect(card.locator(".tag").first()).toHaveText("Contact à risque");
  await expect(card).toContainText("06 39 98 01 20");
  await shot("case");

  // Correct the phone with the case on the line.
  await card.getByRole("link", { name: /Corriger/ }).click();
  await expect(page.getByLabel("Téléphone portable")).toHaveValue("06 39 98 01 20");
  await page.getByLabel("Téléphone portable").fill(newPhone);
  await shot("contact-form");
  await page.getByRole("button", { name: "Enregistrer cette personne" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Contact enregistré" })).toBeVisible();
  await expect(card).toContainText(newPhone);

  // Validate: one SMS queued for the one at-risk contact.
  await page.getByRole("button", { name: "Valider la liste et prévenir les contacts" }).click();
  await expect(page.getByText("Liste validée : 1 SMS de notification mis en file d'envoi.")).toBeVisible();
  // Queued — or already sent: the server's SMS worker polls every second.
  await expect(card.locator(".sms-status")).toHaveText(/SMS en file d'envoi|SMS envoyé/);
  await shot("validated");
  // The worker sends it (log provider): the contact's link is in the SMS log
  // and opens their page, which says nothing of the case.
  await expect(async () => {
    await page.reload();
    await expect(card.locator(".sms-status")).toHaveText("SMS envoyé", { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  const sms = smsLog().split("\n").filter((line) => line.includes(js ? "+33639980121" : "+33639980122"));
  expect(sms).toHaveLength(1);
  const link = sms[0].match(/https?:\/\/\S+\/c\/\S+/)![0];
  const contactPage = await page.context().browser()!.newPage({ javaScriptEnabled: js });
  await contactPage.goto(link);
  await expect(contactPage.getByRole("heading", { level: 1 })).toContainText("contact à risque");
  await expect(contactPage.locator("main")).not.toContainText(demo.reference);
  await contactPage.close();

  // Validating again queues nothing more.
  await page.getByRole("button", { name: "Valider la liste et prévenir les contacts" }).click();
  await expect(page.getByText("Liste validée : 0 SMS de notification mis en file d'envoi.")).toBeVisible();

  // The call is recorded; the case leaves the first-call queue.
  await page.getByLabel("Résultat de l'appel").selectOption("reached");
  await page.getByRole("button", { name: "Enregistrer l'appel" }).click();
  await expect(page.getByText("Appel enregistré.")).toBeVisible();
  await expect(page.getByRole("table", { name: "Appels passés" })).toContainText("Joint");
  await shot("call");

  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await expect(page.getByText("Vous êtes déconnecté.")).toBeVisible();
  const after = await page.goto(`/equipe`);
  expect(after?.status()).toBe(401);
});
