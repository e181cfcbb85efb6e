// The rules of January 2022 (replayed for today's cases by the test server,
// see server.mjs), at 360×740, with and without JavaScript: a vaccinated
// adult contact has no quarantine and three tests with their dates and
// kinds; a child's page offers the sworn statement of the self-tests; a
// vaccinated case ends isolation on day 5 with a negative test.
import { test, expect, expectAccessible } from "./fixtures";
import { demoCases, demoContacts } from "./demo";

/** `date` + `days`, as the page writes it: "3 décembre" (or "1er décembre"). */
function frenchDay(days: number): RegExp {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const month = new Intl.DateTimeFormat("fr-FR", { month: "long" }).format(d);
  const day = d.getDate() === 1 ? "1(er)?" : String(d.getDate());
  return new RegExp(`\\b${day} ${month} ${d.getFullYear()}`);
}

test("a vaccinated adult contact: no quarantine, a test at once and two self-tests", async ({ page }, testInfo) => {
  const contacts = demoContacts();
  await page.goto(contacts.get("Camille")!.path);
  await expect(page).toHaveURL(/\/contact$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Vous êtes contact à risque");
  await expect(page.getByText("Selon les règles en vigueur, vous n'avez pas à rester chez vous")).toBeVisible();
  await expect(page.getByText(/Restez chez vous jusqu/)).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Attestation pour mon employeur" })).toHaveCount(0);
  const tests = page.locator("ul.tests-asked li");
  await expect(tests).toHaveCount(3);
  // Told today (the demo notified them): at once, then day 2 and day 4.
  await expect(tests.nth(0)).toContainText("test antigénique ou PCR");
  await expect(tests.nth(0)).toContainText(frenchDay(0));
  await expect(tests.nth(1)).toContainText("autotest");
  await expect(tests.nth(1)).toContainText(frenchDay(2));
  await expect(tests.nth(2)).toContainText("autotest");
  await expect(tests.nth(2)).toContainText(frenchDay(4));
  await expect(page.getByText(/Règles en vigueur depuis le/)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Attestation sur l'honneur des autotests" })).toHaveCount(0);
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath("vaccinated.png"), fullPage: true });
});

test("a child's page offers the sworn statement of the self-tests, dates filled in", async ({ page }, testInfo) => {
  const contacts = demoContacts();
  await page.goto(contacts.get("Lina")!.path);
  await expect(page).toHaveURL(/\/contact$/);
  await expect(page.getByText(/Restez chez vous jusqu/)).toHaveCount(0);
  const statement = page.locator("section.sworn-statement");
  await expect(statement.getByRole("heading", { name: "Attestation sur l'honneur des autotests" })).toBeVisible();
  await expect(statement).toContainText("Lina Moreau");
  await expect(statement.locator("li")).toHaveCount(2);
  await expect(statement.locator("li").nth(0)).toContainText(frenchDay(2));
  await expect(statement.locator("li").nth(1)).toContainText(frenchDay(4));
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath("child.png"), fullPage: true });
  // Printable: the page's header is hidden in print, the statement is not.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(statement).toBeVisible();
  await page.emulateMedia({ media: "screen" });
});

test("a vaccinated case records a negative test on day 5 and sees the earlier end", async ({ page }, testInfo) => {
  // Marie: vaccinated, symptoms 5 days ago: isolated 7 days, out from today.
  const demo = demoCases()[4];
  await page.goto(demo.path);
  await page.getByLabel("Jour").fill(demo.birth.day);
  await page.getByLabel("Mois").fill(demo.birth.month);
  await page.getByLabel("Année").fill(demo.birth.year);
  await page.getByRole("button", { name: "Continuer" }).click();
  await expect(page).toHaveURL(/\/dossier$/);
  await expect(page.getByRole("heading", { name: "Sortir de l'isolement plus tôt" })).toBeVisible();
  await expect(page.getByText(/Vous pouvez sortir de l'isolement le/)).toContainText(frenchDay(0));
  await expect(page.getByText(/Règles en vigueur depuis le/)).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath("case-offer.png"), fullPage: true });

  const d = new Date();
  await page.locator("#release-day").fill(String(d.getDate()));
  await page.locator("#release-month").fill(String(d.getMonth() + 1));
  await page.locator("#release-year").fill(String(d.getFullYear()));
  await page.getByLabel("Négatif").check();
  await page.getByLabel("Je n'ai eu aucun symptôme ces dernières 48 heures").check();
  await page.getByRole("button", { name: "Enregistrer le test" }).click();
  await expect(page).toHaveURL(/\/dossier(#isolation)?$/);
  await expect(page.locator("#release-decision")).toHaveAttribute("data-decision", "released");
  await expect(page.getByText(/Votre isolement se termine le .* inclus\./).first()).toContainText(frenchDay(0));
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath("case-released.png"), fullPage: true });
});
