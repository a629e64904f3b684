import { expect, Page, test } from "@playwright/test";
import { ADMIN, ADMIN_PASSWORD, addUser, enableMyAccount, hydrated, openUser, signIn, unique } from "./helpers";

// The kill switch acts on every impersonation in the server (the root organization's reaches every
// organization): this spec runs alone, after every other (playwright.config.ts).

/** Login & Registration > Organization settings > Impersonation: the Kill switch card. */
async function openKillSwitch(page: Page) {
  await page.goto("/console/login-and-registration/impersonation");
  await hydrated(page);
  return page.getByRole("region", { name: "Kill switch" });
}

test("End all impersonation sessions stops a running impersonation in another browser; Pause refuses new ones until resumed", async ({ browser }) => {
  const username = unique("kim");
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await enableMyAccount(admin);
  await addUser(admin, username, "kim-password-1");
  await openUser(admin, username);

  // Browser one: impersonating the user in My Account.
  const [tab] = await Promise.all([
    admin.context().waitForEvent("page"),
    admin.getByRole("button", { name: "Impersonate User" }).click(),
  ]);
  await tab.waitForLoadState();
  await hydrated(tab);
  await expect(tab.locator(".impersonation-banner")).toContainText(`You are impersonating ${username}`);

  // Browser two: another administrator's session ends every impersonation.
  const other = await (await browser.newContext()).newPage();
  await signIn(other, ADMIN, ADMIN_PASSWORD, "/console");
  let card = await openKillSwitch(other);
  await expect(card).toContainText("Impersonation is allowed in every organization.");
  await expect(card).toContainText("1 impersonation session is running in every organization.");
  await card.getByRole("button", { name: "End all impersonation sessions" }).click();
  await other.getByRole("alertdialog", { name: "End all impersonation sessions?" }).getByRole("button", { name: "End all" }).click();
  await expect(card.getByText("Ended 1 impersonation session.")).toBeVisible();
  await expect(card).toContainText("0 impersonation sessions are running in every organization.");

  // Browser one is the administrator's own again: no banner, the user's profile gone.
  await tab.reload();
  await hydrated(tab);
  await expect(tab.locator(".impersonation-banner")).toHaveCount(0);
  await expect(tab.getByRole("heading", { level: 1, name: `Hello, ${ADMIN}` })).toBeVisible();

  // Pause: Impersonate User says why it is unavailable, until Resume.
  card = await openKillSwitch(other);
  await card.getByRole("button", { name: "Pause impersonation" }).click();
  await other.getByRole("alertdialog", { name: "Pause impersonation?" }).getByRole("button", { name: "Pause" }).click();
  await expect(card).toContainText(`Impersonation is paused in every organization since`);
  await admin.reload();
  await hydrated(admin);
  await expect(admin.getByRole("button", { name: "Impersonate User" })).toBeDisabled();
  await expect(admin.getByText("Impersonation is paused in this organization")).toBeVisible();

  await card.getByRole("button", { name: "Resume impersonation" }).click();
  await expect(card).toContainText("Impersonation is allowed in every organization.");
  await admin.reload();
  await hydrated(admin);
  await expect(admin.getByRole("button", { name: "Impersonate User" })).toBeEnabled();
});
