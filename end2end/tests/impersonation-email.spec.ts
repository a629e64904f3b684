import { APIRequestContext, expect, Page, test } from "@playwright/test";
import { mailAPI } from "../playwright.config";
import {
  ADMIN,
  ADMIN_PASSWORD,
  addUser,
  enableMyAccount,
  hydrated,
  makeImpersonator,
  newOrganization,
  openMenu,
  organizationRow,
  shareApplication,
  signIn,
  switchToOrganization,
  unique,
} from "./helpers";

// The guide's "Notify users on impersonation" through a real SMTP server (MailDev, started by the
// suite): with the setting off nobody is emailed; with it on, the template edited in Branding >
// Email Templates is what arrives. The setting, the templates and the outbox are each
// organization's own, so the test changes them in an organization it creates: no other test sees
// what it sets, and it needs nobody's clean-up.

type Mail = { subject: string; text: string; to: { address: string }[] };

const PASSWORD = "mail-org-password-1";

/** The emails MailDev received for `address`. */
async function mailsTo(request: APIRequestContext, address: string): Promise<Mail[]> {
  const all: Mail[] = await (await request.get(`${mailAPI}/api/email`)).json();
  return all.filter((m) => m.to.some((t) => t.address === address));
}

/** Login & Registration > Organization settings > Impersonation: the toggle, then Update. */
async function setNotification(page: Page, on: boolean) {
  await openMenu(page, "Organization settings");
  await page.getByRole("link", { name: "Impersonation", exact: true }).click();
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "Impersonation" })).toBeVisible();
  const toggle = page.getByRole("switch", { name: "Enable email notification" });
  await toggle.setChecked(on);
  await page.getByRole("region", { name: "Email notification" }).getByRole("button", { name: "Update" }).click();
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("switch", { name: "Enable email notification" })).toBeChecked({ checked: on });
}

/** User management > Users > the user > Impersonate User, then Stop impersonating in the new tab. */
async function impersonateAndStop(page: Page, username: string) {
  await openMenu(page, "Users");
  await page.getByLabel("Search users").fill(username);
  await page.getByRole("link", { name: username, exact: true }).click();
  await hydrated(page);
  const impersonate = page.getByRole("button", { name: "Impersonate User" });
  await expect(impersonate).toBeEnabled();
  const [tab] = await Promise.all([page.context().waitForEvent("page"), impersonate.click()]);
  await tab.waitForLoadState();
  await hydrated(tab);
  const banner = tab.locator(".impersonation-banner");
  await expect(banner).toContainText(`You are impersonating ${username}`);
  await banner.getByRole("button", { name: "Stop impersonating" }).click();
  await expect(tab).toHaveURL(/\/console\/users\//);
  await tab.close();
}

test("the impersonation email follows the setting and the edited template", async ({ browser, request }) => {
  test.setTimeout(120_000);
  const tag = unique("");
  const orgName = `Mail org ${tag}`;
  const handle = `mail-${tag}`.toLowerCase();
  const impersonator = unique("sam");

  // The organization, with My Account shared with it; switched into, the root administrator makes
  // one of its own users its impersonator (only an organization's own users impersonate its users).
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await enableMyAccount(admin);
  await hydrated(admin);
  await openMenu(admin, "Organizations");
  await newOrganization(admin, orgName, handle);
  await expect(organizationRow(admin, orgName)).toHaveCount(1);
  await shareApplication(admin, "My Account", orgName);
  await switchToOrganization(admin, orgName);
  await addUser(admin, impersonator, PASSWORD);
  await makeImpersonator(admin, impersonator);
  const support = await (await browser.newContext()).newPage();
  await signIn(support, impersonator, PASSWORD, "/console", handle);
  await expect(support).toHaveURL(/\/console/);
  await hydrated(support);

  // Off: impersonating writes no email at all.
  const quiet = unique("quiet");
  await addUser(admin, quiet, "quiet-password-1");
  await setNotification(admin, false);
  await impersonateAndStop(support, quiet);
  await openMenu(admin, "Email Outbox");
  await expect(admin.getByRole("heading", { level: 1, name: "Email Outbox" })).toBeVisible();
  // The outbox has loaded, empty (the organization is new: nothing was ever written for it); only
  // then does Quiet's absence mean anything. Emails are written in the transaction that starts the
  // impersonation, so there is nothing more to wait for.
  await expect(admin.getByText("No emails yet.", { exact: true })).toBeVisible();
  await expect(admin.getByRole("main")).not.toContainText(`${quiet}@example.com`);

  // On again; Branding > Email Templates > Impersonation Email Notification.
  await setNotification(admin, true);
  await openMenu(admin, "Email Templates");
  await admin.getByRole("link", { name: "Impersonation Email Notification", exact: true }).click();
  await hydrated(admin);
  await expect(admin.getByRole("heading", { level: 1, name: "Impersonation Email Notification" })).toBeVisible();
  await expect(admin.getByLabel("Subject")).toHaveValue("User Impersonation Session Started");

  // An unknown placeholder is a field error, and nothing is saved.
  await admin.getByLabel("Subject").fill("Heads up {{nope}}");
  await admin.getByRole("button", { name: "Save" }).click();
  await expect(admin.locator("#field-subject-error")).toContainText("Unknown placeholder {{nope}}");

  await admin.getByLabel("Subject").fill("Heads up, {{user-name}}");
  await admin.getByLabel("Body").fill("Custom notice: {{impersonator-user-name}} is acting as you since {{login-time}}.");
  await admin.getByRole("button", { name: "Preview" }).click();
  await expect(admin.getByTestId("preview-subject")).toHaveText("Heads up, john");
  await expect(admin.getByTestId("preview-body")).toHaveText(
    "Custom notice: admin is acting as you since June 03, 2024 at 02:50 PM UTC.",
  );
  await admin.getByRole("button", { name: "Save" }).click();
  await expect(admin.getByText("Saved.", { exact: true })).toBeVisible();
  await expect(admin.getByText("Customized")).toBeVisible();

  // Impersonating now sends the edited text, with the placeholders filled.
  const told = unique("told");
  await addUser(admin, told, "told-password-1");
  await impersonateAndStop(support, told);
  const address = `${told}@example.com`;
  await expect.poll(async () => (await mailsTo(request, address)).length, { timeout: 15_000 }).toBe(2);
  const mails = await mailsTo(request, address);
  const started = mails.find((m) => m.subject === `Heads up, ${told}`);
  expect(started, JSON.stringify(mails.map((m) => m.subject))).toBeTruthy();
  expect(started!.text).toMatch(
    new RegExp(`^Custom notice: ${impersonator} is acting as you since [A-Z][a-z]+ \\d\\d, \\d{4} at \\d\\d:\\d\\d [AP]M UTC\\.\\s*$`),
  );
  // Beyond the reference product: the closing email, listing the changes (none here).
  const ended = mails.find((m) => m.subject === "User Impersonation Session Ended");
  expect(ended).toBeTruthy();
  expect(ended!.text).toContain(`Hi ${told},`);
  expect(ended!.text).toContain("No changes were made.");
  // The worker delivers the outbox oldest first: an email for Quiet, written before these, would
  // have arrived before them.
  expect(await mailsTo(request, `${quiet}@example.com`)).toHaveLength(0);

  // The Console's outbox shows both as sent, with the body on open.
  await openMenu(admin, "Email Outbox");
  const row = admin.getByRole("row", { name: new RegExp(`Heads up, ${told}`) });
  await expect(row).toContainText(address);
  await expect(row).toContainText("Sent");
  await row.getByRole("link", { name: `Heads up, ${told}` }).click();
  await hydrated(admin);
  await expect(admin.locator("pre.email-body")).toContainText(`Custom notice: ${impersonator} is acting as you since`);

  // Reset to default brings the contract's subject back.
  await openMenu(admin, "Email Templates");
  await admin.getByRole("link", { name: "Impersonation Email Notification", exact: true }).click();
  await hydrated(admin);
  await admin.getByRole("button", { name: "Reset to default" }).click();
  await expect(admin.getByText("The default template is back.")).toBeVisible();
  await expect(admin.getByLabel("Subject")).toHaveValue("User Impersonation Session Started");
});
