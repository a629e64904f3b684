import { expect, Page, test } from "@playwright/test";
import { mailAPI } from "../playwright.config";
import { ADMIN, ADMIN_PASSWORD, addUser, enableMyAccount, hydrated, openUser, signIn, unique } from "./helpers";

// The root organization's guardrails reach every impersonation in the server (a required reason,
// the kill switch): this spec runs alone, after every other (playwright.config.ts), and puts back
// what it changes.

/** Login & Registration > Organization settings > Impersonation: the Guardrails' reason and ticket. */
async function setReasonPolicy(page: Page, choice: "Off" | "Optional" | "Required", pattern: string) {
  await page.goto("/console/login-and-registration/impersonation");
  await hydrated(page);
  const card = page.getByRole("region", { name: "Guardrails" });
  await card.getByLabel(choice, { exact: true }).check();
  await card.getByLabel("Ticket id pattern").fill(pattern);
  await card.getByRole("button", { name: "Update" }).click();
  await expect(card.getByText("Saved.", { exact: true })).toBeVisible();
}

test("a required reason and ticket: asked by Impersonate User, shown in the user's email, Account activity and the Console", async ({ browser, request }) => {
  const username = unique("rhea");
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await enableMyAccount(admin);
  await addUser(admin, username, "rhea-password-1");
  await setReasonPolicy(admin, "Required", "SUP-[0-9]+");
  try {
    await openUser(admin, username);
    const reason = admin.getByLabel("Reason");
    const ticket = admin.getByLabel("Ticket");
    await expect(reason).toHaveAttribute("required", "");
    // A ticket id of the wrong shape: the browser holds the form and says why.
    await reason.fill("Fix the billing address");
    await ticket.fill("42");
    expect(await ticket.evaluate((el: HTMLInputElement) => el.validity.patternMismatch)).toBe(true);
    await ticket.fill("SUP-42");
    expect(await ticket.evaluate((el: HTMLInputElement) => el.validity.valid)).toBe(true);
    const [tab] = await Promise.all([
      admin.context().waitForEvent("page"),
      admin.getByRole("button", { name: "Impersonate User" }).click(),
    ]);
    await tab.waitForLoadState();
    await hydrated(tab);
    const banner = tab.locator(".impersonation-banner");
    await expect(banner).toContainText(`You are impersonating ${username}`);
    await banner.getByRole("button", { name: "Stop impersonating" }).click();
    await expect(tab).toHaveURL(/\/console\/users\//);
    await tab.close();

    // The Console's record of it.
    await admin.reload();
    await hydrated(admin);
    await expect(admin.locator("table.impersonation-sessions")).toContainText("Fix the billing address (ticket SUP-42)");

    // The user's email.
    await expect
      .poll(async () => {
        const all: { subject: string; text: string; to: { address: string }[] }[] = await (await request.get(`${mailAPI}/api/email`)).json();
        return all
          .filter((m) => m.to.some((t) => t.address === `${username}@example.com`))
          .map((m) => m.text)
          .join("\n");
      }, { timeout: 20_000 })
      .toContain("Reason given: Fix the billing address (ticket SUP-42)");

    // The user's Account activity.
    const user = await (await browser.newContext()).newPage();
    await signIn(user, username, "rhea-password-1", "/myaccount/activity");
    await hydrated(user);
    await expect(user.locator(".account-impersonation")).toContainText("Fix the billing address (ticket SUP-42)");
  } finally {
    await setReasonPolicy(admin, "Off", "");
  }
});

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
  // Ours, and whatever earlier specs left running: every one of them ends.
  const running = card.getByText(/^\d+ impersonation sessions? (is|are) running in every organization\.$/);
  const live = Number((await running.innerText()).split(" ")[0]);
  expect(live).toBeGreaterThanOrEqual(1);
  await card.getByRole("button", { name: "End all impersonation sessions" }).click();
  await other.getByRole("alertdialog", { name: "End all impersonation sessions?" }).getByRole("button", { name: "End all" }).click();
  await expect(card.getByText(`Ended ${live} impersonation ${live === 1 ? "session" : "sessions"}.`)).toBeVisible();
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
