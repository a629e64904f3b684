import { expect, test } from "@playwright/test";
import { ADMIN, ADMIN_PASSWORD, addUser, hydrated, openUser, signIn, unique } from "./helpers";

// User Management > Users > a user: the breadcrumb names them; the page shows their roles with
// each role's audience, their active sessions (one can be ended, after confirmation), their last
// sign-in, and readable times.

const READABLE = /^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/;

test("a user's page shows roles, sessions and last sign-in, and ends a session", async ({ browser }) => {
  const username = unique("ulla");
  const password = "ulla-password-1";
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await addUser(admin, username, password);
  await openUser(admin, username);
  await expect(admin.locator(".breadcrumb")).toHaveText(`Users / ${username}`);
  await expect(admin.locator("dt:text-is('Created') + dd")).toHaveText(READABLE);
  await expect(admin.locator("dt:text-is('Last sign-in') + dd")).toHaveText("Never");
  await expect(admin.getByRole("region", { name: "Active sessions" })).toContainText("No active sessions.");
  await expect(admin.getByRole("region", { name: "Roles" })).toContainText("No roles.");

  // The user signs in to My Account in their own browser.
  const user = await (await browser.newContext()).newPage();
  await signIn(user, username, password, "/myaccount");
  await hydrated(user);

  await admin.reload();
  await hydrated(admin);
  await expect(admin.locator("dt:text-is('Last sign-in') + dd")).toHaveText(READABLE);
  const sessions = admin.getByRole("region", { name: "Active sessions" });
  await expect(sessions.getByRole("row")).toHaveCount(2); // the header and the one session
  await sessions.getByRole("button", { name: /^End the session signed in at / }).click();
  const dialog = admin.getByRole("alertdialog", { name: "End this session?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "End session" }).click();
  await expect(admin.getByText("The session was ended: that browser must sign in again.")).toBeVisible();
  await expect(sessions).toContainText("No active sessions.");

  // That browser must sign in again.
  await user.goto("/myaccount");
  await expect(user).toHaveURL(/\/login\?/);

  // The administrator's own page: the Administrator role, with its audience.
  await openUser(admin, ADMIN);
  const roles = admin.getByRole("region", { name: "Roles" });
  await expect(roles.getByRole("row", { name: /^Administrator\b/ })).toContainText("Console");
});
