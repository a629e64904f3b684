import { expect, Page, test } from "@playwright/test";
import { ADMIN, ADMIN_PASSWORD, addUser, enableMyAccount, hydrated, openMenu, openUser, signIn, unique } from "./helpers";

// The guide's "Step 2: Impersonate the user", literally. The impersonator is the administrator the
// server bootstrapped: they hold the Administrator role (Console) and the Impersonator role
// (audience My Account), which is what the guide's Step 1 assigns (console-guide.spec.ts follows
// Step 1 through the UI).

/** Applications > My Account (the list's link, not the top bar's). */
async function openMyAccountApplication(page: Page) {
  await openMenu(page, "Applications");
  await page.getByRole("main").getByRole("link", { name: "My Account", exact: true }).click();
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "My Account" })).toBeVisible();
}

test("an administrator impersonates a user from the Console and stops", async ({ browser }) => {
  const username = unique("grace");
  const admin = await (await browser.newContext()).newPage();
  // Step 2.1: log into the Console with one's own credentials.
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await enableMyAccount(admin);
  await addUser(admin, username, "grace-password-1");
  // A name, so that the banner shows "Name (username)".
  await admin.getByLabel("First Name").fill("Grace");
  await admin.getByLabel("Last Name").fill("Hopper");
  await admin.getByRole("button", { name: "Update" }).click();
  await expect(admin.getByText("Saved.", { exact: true })).toBeVisible();

  // Step 2.2: User management > Users > the user.
  await openUser(admin, username);
  const userPage = admin.url();
  const userId = new URL(userPage).pathname.split("/").pop();
  expect(userId).toBeTruthy();
  const sessions = admin.getByRole("region", { name: "Impersonation sessions" });
  await expect(sessions).toContainText("None yet");

  // Step 2.3: scroll down and click Impersonate User; My Account opens in a new tab.
  const impersonate = admin.getByRole("button", { name: "Impersonate User" });
  await impersonate.scrollIntoViewIfNeeded();
  await expect(impersonate).toBeEnabled();
  const [tab] = await Promise.all([admin.context().waitForEvent("page"), impersonate.click()]);
  await tab.waitForLoadState();

  // Step 2.4: My Account, as the impersonated user, under the banner.
  await expect(tab).toHaveURL(/\/myaccount$/);
  await hydrated(tab);
  const banner = tab.locator(".impersonation-banner");
  await expect(banner).toHaveAttribute("role", "status");
  await expect(banner).toContainText(`You are impersonating Grace Hopper (${username})`);
  await expect(banner).toContainText(`as ${ADMIN}`);
  await expect(banner).toContainText(/Ends at \d\d:\d\d UTC/);
  await expect(banner).toContainText(/min left/);
  await expect(tab.getByRole("heading", { level: 1, name: "Hello, Grace Hopper" })).toBeVisible();
  await expect(tab.getByText(username, { exact: true })).toBeVisible();

  // While impersonating, Applications comes first (entering them as the user is the point), and
  // what the impersonator may not change is read-only, with the reason, instead of refused later.
  expect((await tab.locator("main section h2").allInnerTexts())[0]).toBe("Applications");
  await expect(tab.getByLabel("Email")).toHaveAttribute("readonly", "");
  await expect(tab.locator("#field-email-locked")).toHaveText("While impersonating, you cannot change the user's email address.");
  await expect(tab.getByLabel("First Name")).not.toHaveAttribute("readonly", "");
  const password = tab.getByRole("region", { name: "Change Password" });
  await expect(password).toContainText("While impersonating, you cannot change the user's password.");
  await expect(password.getByLabel("Current Password")).toHaveCount(0);

  // Step 2.5: the applications the impersonator may enter as the user. None is configured for
  // impersonation here (see the guide's "Configure business applications for impersonation").
  const applications = tab.getByRole("region", { name: "Applications" });
  await expect(applications).toContainText("No applications you may use as this user.");
  await expect(applications).toContainText("discoverable");

  // The banner stays on My Account; the Console is not usable while impersonating.
  await tab.reload();
  await hydrated(tab);
  await expect(banner).toContainText(`You are impersonating Grace Hopper (${username})`);
  // The Console tab left behind says it is paused as soon as it is looked at again, over the page,
  // with the way to the impersonation and the way out of it.
  await admin.bringToFront();
  await admin.evaluate(() => window.dispatchEvent(new Event("focus")));
  const paused = admin.getByRole("alertdialog", { name: "The Console is paused" });
  await expect(paused).toBeVisible();
  await expect(paused.getByRole("link", { name: "Go to the impersonation" })).toHaveAttribute("href", "/myaccount");
  await expect(paused.getByRole("button", { name: "Stop impersonating" })).toBeVisible();
  // Reloaded, it is the same notice, from the server.
  await admin.reload();
  await expect(admin.getByRole("heading", { name: "The Console is paused" })).toBeVisible();
  await expect(admin.getByText(`This browser is impersonating ${username}.`, { exact: false })).toBeVisible();

  // Stop impersonating: back on the user's Console page, as oneself.
  await banner.getByRole("button", { name: "Stop impersonating" }).click();
  await expect(tab).toHaveURL(new RegExp(`/console/users/${userId}$`));
  await hydrated(tab);
  await expect(tab.locator(".topbar .who")).toHaveText(ADMIN);
  await expect(tab.getByRole("heading", { level: 1, name: username })).toBeVisible();
  const recorded = tab.getByRole("region", { name: "Impersonation sessions" }).getByRole("row", { name: new RegExp(username) });
  await expect(recorded).toHaveCount(1);
  await expect(recorded).toContainText(ADMIN);
  await expect(recorded).toContainText("Stopped by the impersonator");

  // My Account is the administrator's own again.
  await tab.goto("/myaccount");
  await hydrated(tab);
  // The session has loaded, as the administrator's own: only then does a missing banner mean anything.
  await expect(tab.getByRole("link", { name: "Account activity" })).toBeVisible();
  await expect(tab.locator(".impersonation-banner")).toHaveCount(0);
  await expect(tab.getByText("You are impersonating")).toHaveCount(0);
});

test("Impersonate User is disabled, with the reason, where it is not allowed", async ({ browser }) => {
  const username = unique("hedy");
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  // My Account is one switch for the whole server, and this test turns it off below: it sets the
  // state it starts from itself. Every test that needs My Account does the same (enableMyAccount),
  // so none relies on this one switching it back.
  await enableMyAccount(admin);
  await addUser(admin, username, "hedy-password-1");

  // Oneself.
  await openUser(admin, ADMIN);
  const impersonate = admin.getByRole("button", { name: "Impersonate User" });
  await expect(impersonate).toBeDisabled();
  await expect(admin.getByText("You cannot impersonate yourself.")).toBeVisible();

  // The guide's prerequisite: with My Account disabled (Applications > My Account > Enable My
  // Account > Update), nobody can be impersonated through the Console.
  await openMyAccountApplication(admin);
  const enable = admin.getByLabel("Enable My Account");
  await expect(enable).toBeChecked();
  await expect(admin.getByText("Disabling it signs everyone out of My Account")).toBeVisible();
  await enable.uncheck();
  await admin.getByRole("region", { name: "My Account portal" }).getByRole("button", { name: "Update" }).click();
  await expect(admin.getByText("My Account is disabled.", { exact: true })).toBeVisible();
  await admin.reload();
  await hydrated(admin);
  await expect(admin.getByLabel("Enable My Account")).not.toBeChecked();

  await openUser(admin, username);
  await expect(admin.getByRole("button", { name: "Impersonate User" })).toBeDisabled();
  await expect(admin.getByText("My Account is disabled, so users cannot be impersonated through it.")).toBeVisible();

  await openMyAccountApplication(admin);
  await admin.getByLabel("Enable My Account").check();
  await admin.getByRole("region", { name: "My Account portal" }).getByRole("button", { name: "Update" }).click();
  await expect(admin.getByText("My Account is enabled.", { exact: true })).toBeVisible();

  await openUser(admin, username);
  await expect(admin.getByRole("button", { name: "Impersonate User" })).toBeEnabled();
});
