import { test, expect, expectAccessible, jsEnabled } from "./fixtures";

test("the home page says what the service is, in French by default", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Relais, le service de déclaration des contacts",
  );
  await expect(page.getByRole("main")).toBeVisible();
  await expect(page.getByRole("link", { name: "Aller au contenu" })).toHaveAttribute("href", "#main");
  await expectAccessible(page);
});

test("the language switch shows the page in English and remembers it", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Relais, the contact declaration service",
  );
  await expectAccessible(page);
  await page.goto("/verifier");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByRole("link", { name: "Français" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page).toHaveURL(/\/verifier$/);
});

test("the link checker answers: live with JavaScript, on submit without", async ({ page }, testInfo) => {
  await page.goto("/");
  const field = page.getByLabel("Vérifier un lien reçu par SMS");
  const verdict = page.getByRole("status");
  if (jsEnabled(testInfo)) {
    // The island is interactive: the verdict follows the typing, no request.
    // Wait until the WASM has arrived and the island has woken up.
    await page.waitForLoadState("networkidle");
    await field.pressSequentially("https://relais-sante.example/d/abc");
    await expect(verdict).toContainText("ne mène pas à Relais");
    await field.fill("");
    await field.pressSequentially(`${new URL(page.url()).origin}/d/ABCDEFGHIJKLMNOPQRSTUV`);
    await expect(verdict).toContainText("c'est le lien pour déclarer vos contacts");
    await expect(page).toHaveURL(/\/$/);
  } else {
    await field.fill("https://relais-sante.example/d/abc");
    await page.getByRole("button", { name: "Vérifier" }).click();
    // Posted: the link (its token) never sits in the address.
    await expect(page).toHaveURL(/\/verifier$/);
    await expect(page.getByRole("status")).toContainText("ne mène pas à Relais");
  }
  await expectAccessible(page);
});

test("an unknown page gives a clear 404", async ({ page }) => {
  const response = await page.goto("/nulle-part");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page introuvable");
});
