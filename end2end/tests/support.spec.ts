// Support during isolation (issue 19), with and without JavaScript: an Oise
// case asks for a nurse's visit and groceries at 360×740; the Oise support
// cell takes the request and closes it at desk size; the national tracer
// sees it done on the case page. axe-core and a screenshot at each step.
//
// The case is DEMO-0001 (Oise), which patient.spec.ts only reads and
// enhance.spec.ts gives a contact: a request for help changes neither. The
// demo made it one open request already ("Vit seule au 3e étage…"), and
// this spec runs once per project on the same database: every locator is
// scoped to the card holding this run's own note.
import { test, expect, expectAccessible, recordConsoleErrors } from "./fixtures";
import { demoCases, demoStaff } from "./demo";
import type { Browser, Page } from "@playwright/test";

const desk = { viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false };

/** A staff page at desk size, its console errors failing the test as the page fixture's do. */
async function deskPage(browser: Browser, js: boolean, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ ...desk, javaScriptEnabled: js });
  const page = await context.newPage();
  recordConsoleErrors(page, errors);
  return page;
}

async function signIn(page: Page, username: string) {
  await page.goto("/equipe/connexion");
  await page.getByLabel("Identifiant").fill(username);
  await page.getByLabel("Mot de passe").fill(demoStaff().get(username)!);
  await page.getByRole("button", { name: "Se connecter" }).click();
}

/** No horizontal scroll: the page fits the phone's 360 px. */
async function expectNoHorizontalScroll(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, "page width at 360 px").toBeLessThanOrEqual(360);
}

test("a case asks for a nurse and groceries, the support cell helps, the tracer sees it done", async ({ page, browser, consoleErrors }, testInfo) => {
  // Three people and eight axe-core runs (each one, without JavaScript, in a
  // page of its own): about 20 s with JavaScript, 40 s without.
  const js = testInfo.project.use.javaScriptEnabled !== false;
  const demo = demoCases()[0];
  // This run's own request, told apart from the demo's and the other project's.
  const note = `Deux enfants à la maison, code de la porte 4821 (essai ${testInfo.project.name}).`;
  const cellNote = `Infirmier passé, courses livrées (essai ${testInfo.project.name}).`;
  let step = 0;
  const shot = async (p: Page, name: string) => {
    await expectAccessible(p);
    step += 1;
    await p.screenshot({ path: testInfo.outputPath(`${String(step).padStart(2, "0")}-${name}.png`), fullPage: true });
  };

  // 1. The case, on a phone: from their file to the request.
  await page.goto(demo.path);
  await page.getByLabel("Jour").fill(demo.birth.day);
  await page.getByLabel("Mois").fill(demo.birth.month);
  await page.getByLabel("Année").fill(demo.birth.year);
  await page.getByRole("button", { name: "Continuer" }).click();
  await expect(page).toHaveURL(/\/dossier$/);
  await page.getByRole("link", { name: /Demander de l'aide pendant l'isolement/ }).click();
  await expect(page).toHaveURL(/\/dossier\/aide$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Aide pendant l'isolement");
  await expect(page.getByText(/Vous pouvez demander de l'aide jusqu'à la fin de votre isolement, le .* inclus\./)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Les aides possibles" })).toBeVisible();
  await expectNoHorizontalScroll(page);
  await shot(page, "case-support-page");

  await page.getByLabel("La visite d'un infirmier à domicile").check();
  await page.getByLabel("Des courses ou des repas").check();
  await page.getByLabel("Précisez votre demande (facultatif)").fill(note);
  await page.getByLabel(/J'accepte que mon nom, mon téléphone, mon adresse et ces besoins soient transmis/).check();
  await expectNoHorizontalScroll(page);
  await shot(page, "case-support-form");
  await page.getByRole("button", { name: "Envoyer ma demande" }).click();

  await expect(page).toHaveURL(/\/dossier\/aide\?ok=1(#requests)?$/);
  await expect(page.getByRole("status")).toHaveText(
    "Votre demande est envoyée. La cellule d'appui de votre département va vous appeler.",
  );
  const own = page.locator("#requests li.card", { hasText: note });
  await expect(own).toHaveCount(1);
  await expect(own).toContainText("État : reçue");
  await expect(own.locator("li")).toHaveText(["La visite d'un infirmier à domicile", "Des courses ou des repas"]);
  await expect(own).toContainText("Transmise à la cellule d'appui de votre département.");
  // Sent: the form is empty again (no draft left).
  await expect(page.getByLabel("Précisez votre demande (facultatif)")).toHaveValue("");
  await expect(page.getByLabel("La visite d'un infirmier à domicile")).not.toBeChecked();
  await expectNoHorizontalScroll(page);
  await shot(page, "case-support-sent");

  // 2. The Oise support cell, at desk size: signing in opens its desk.
  const cell = await deskPage(browser, js, consoleErrors);
  await signIn(cell, "demo-oise-support");
  await expect(cell).toHaveURL(/\/equipe\/soutien$/);
  await expect(cell.getByRole("heading", { level: 1 })).toHaveText("Demandes d'aide — 60 Oise");
  const card = cell.locator("li.card", { hasText: note });
  await expect(card).toHaveCount(1);
  await expect(card).toHaveAttribute("id", /^request-\d+$/);
  const anchor = (await card.getAttribute("id"))!;
  const state = card.locator("dl > div", { has: cell.locator("dt", { hasText: /^État$/ }) }).locator("dd");
  await expect(card.getByRole("heading", { level: 2 })).toHaveText("Camille Martin");
  await expect(card).toContainText("Visite d'un infirmier à domicile, Courses ou repas");
  await expect(state).toHaveText("Nouvelle");
  // The demo's own request is there too, untouched.
  await expect(cell.locator("li.card", { hasText: "Vit seule au 3e étage sans ascenseur." })).toHaveCount(1);
  await shot(cell, "cell-desk");

  await card.getByRole("button", { name: "Prendre en charge" }).click();
  await expect(cell).toHaveURL(new RegExp(`/equipe/soutien\\?ok=taken(#${anchor})?$`));
  await expect(cell.getByRole("status")).toHaveText("Demande passée à l'état : Prise en charge.");
  await expect(state).toHaveText(/^Prise en charge\s*—\s*Sophie Soutien, Oise \(démo\)$/);
  await shot(cell, "cell-taken");

  await card.getByLabel("Note (ce qui a été fait, ce qui reste à faire)").fill(cellNote);
  await card.getByRole("button", { name: "Aide apportée" }).click();
  await expect(cell.getByRole("status")).toHaveText("Demande passée à l'état : Aide apportée.");
  // Closed: it left the list to handle…
  await expect(card).toHaveCount(0);
  await expect(cell.locator("li.card", { hasText: "Vit seule au 3e étage sans ascenseur." })).toHaveCount(1);
  // …for the closed ones, with the cell's note.
  await cell.getByRole("navigation", { name: "Listes de demandes" }).getByRole("link", { name: "Terminées" }).click();
  await expect(cell).toHaveURL(/\/equipe\/soutien\?liste=closes$/);
  await expect(cell.getByRole("link", { name: "Terminées" })).toHaveAttribute("aria-current", "page");
  await expect(card).toHaveCount(1);
  await expect(state).toHaveText(/^Aide apportée\s*—\s*Sophie Soutien, Oise \(démo\)$/);
  await expect(card).toContainText(cellNote);
  await expect(card.getByRole("button")).toHaveCount(0);
  await expect(cell.locator("li.card", { hasText: "Vit seule au 3e étage sans ascenseur." })).toHaveCount(0);
  await shot(cell, "cell-closed");
  await cell.context().close();

  // The case's page says where their request stands.
  await page.reload();
  await expect(own).toContainText("État : terminée");
  await shot(page, "case-support-done");

  // 3. The national tracer finds the case and sees the help given.
  const tracer = await deskPage(browser, js, consoleErrors);
  await signIn(tracer, "demo-tracer");
  await expect(tracer).toHaveURL(/\/equipe$/);
  await tracer.getByLabel("Rechercher un dossier").fill(demo.reference);
  await tracer.getByRole("button", { name: "Filtrer" }).click();
  await tracer.locator("tbody tr", { hasText: demo.reference }).getByRole("link", { name: demo.reference }).click();
  await expect(tracer.getByRole("heading", { level: 1 })).toHaveText(`Dossier ${demo.reference}`);
  const section = tracer.getByRole("region", { name: "Accompagnement pendant l'isolement" });
  const seen = section.locator("li.card", { hasText: note });
  await expect(seen).toHaveCount(1);
  await expect(seen).toContainText("Visite d'un infirmier à domicile, Courses ou repas");
  await expect(seen).toContainText("transmise à la cellule d'appui");
  // Where it stands, who at the cell took it, and the cell's note.
  await expect(seen).toContainText(`État : Aide apportée (Sophie Soutien, Oise (démo)) — ${cellNote}`);
  await section.scrollIntoViewIfNeeded();
  await shot(tracer, "tracer-case");
  await tracer.context().close();
});
