import { expect, Page } from "@playwright/test";

export const ADMIN = "admin";
export const ADMIN_PASSWORD = "e2e-admin-password";

/**
 * Signs in through the one login page, starting from `start` (which redirects there); a user of an
 * organization below the root names it by its handle.
 */
export async function signIn(page: Page, username: string, password: string, start = "/myaccount", organization?: string) {
  await page.goto(start);
  await expect(page).toHaveURL(/\/login\?/);
  if (organization) {
    await page.getByLabel("Organization").fill(organization);
  }
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Waits until the WASM has hydrated the page (the frontend marks <html> when it is done). */
export async function hydrated(page: Page) {
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
}

/** A username no other test run has used. */
export function unique(prefix: string) {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
}

/** Adds a user through Console > Users > Add User, as a signed-in administrator. */
export async function addUser(page: Page, username: string, password: string) {
  await page.goto("/console/users/new");
  await hydrated(page);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email").fill(`${username}@example.com`);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Add User" }).click();
  await expect(page.getByText("The user was added.")).toBeVisible();
}

/**
 * Applications > My Account > Enable My Account, set on through its endpoint. My Account is one
 * switch for the whole server and impersonation-console.spec.ts turns it off, so a test that needs
 * My Account (signing a user in to it, impersonating) turns it on itself instead of relying on the
 * default or on another test's clean-up. `page` is signing in, or signed in, to the Console.
 */
export async function enableMyAccount(page: Page) {
  await expect(page).toHaveURL((url) => url.pathname.startsWith("/console"));
  const response = await page.request.post("/api/set_my_account_enabled", {
    form: { enabled: "true" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(response.ok(), await response.text()).toBe(true);
}

/** Opens a Console area from the navigation, as a person following the guide would. */
export async function openMenu(page: Page, name: string) {
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name, exact: true }).click();
  await hydrated(page);
}

/** User Management > Users > the user. */
export async function openUser(page: Page, username: string) {
  await openMenu(page, "Users");
  await page.getByLabel("Search users").fill(username);
  await page.getByRole("link", { name: username, exact: true }).click();
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: username })).toBeVisible();
}

/** Opens one of a page's tabs (an application's, a role's, Console Settings'). */
export async function openTab(page: Page, name: string) {
  await page.getByRole("tab", { name, exact: true }).click();
  await expect(page.getByRole("tab", { name, exact: true })).toHaveAttribute("aria-selected", "true");
}

/** Applications > the application (found by searching for its name). */
export async function openApplication(page: Page, name: string) {
  await openMenu(page, "Applications");
  await page.getByLabel("Search applications").fill(name);
  await page.getByRole("main").getByRole("link", { name }).click();
  await hydrated(page);
}

/**
 * Applications > the application > Shared Access: **Share with all organizations**, or **Share with
 * only selected organizations** and the one organization's checkbox (others already selected stay
 * selected), then Update.
 */
export async function shareApplication(page: Page, appName: string, choice: "all" | string) {
  await openApplication(page, appName);
  await openTab(page, "Shared Access");
  if (choice === "all") {
    await page.getByLabel("Share with all organizations").check();
  } else {
    await page.getByLabel("Share with only selected organizations").check();
    await page.getByLabel(choice, { exact: true }).check();
  }
  await page.getByRole("button", { name: "Update" }).click();
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
}

/** Configure steps 4 and 5: Advanced > Skip login consent; General > Discoverable application. */
export async function skipConsentAndMakeDiscoverable(page: Page, name: string) {
  await openApplication(page, name);
  await openTab(page, "Advanced");
  await page.getByLabel("Skip login consent").check();
  await page.getByLabel("Skip logout consent").check();
  await page.getByRole("button", { name: "Update" }).click();
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
  await openTab(page, "General");
  await page.getByLabel("Discoverable application").check();
  await page.getByRole("button", { name: "Update" }).click();
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
}

/**
 * On a role's page: the Users tab, the user found by typing their username and picked from the
 * list under **Assigned Users**, then **Update** (one save for every pick).
 */
export async function pickAssignee(page: Page, username: string) {
  await page.getByRole("tab", { name: "Users" }).click();
  await page.getByLabel("Find users to assign").fill(username);
  await page.getByRole("button", { name: `Assign ${username}`, exact: true }).click();
  await expect(page.getByRole("row", { name: new RegExp(`^${username}\\b`) })).toContainText("Not saved yet");
  await page.getByRole("button", { name: "Update" }).click();
}

/** [`pickAssignee`], saved: the row is the stored assignment at once, without a reload. */
export async function assignUser(page: Page, username: string) {
  await pickAssignee(page, username);
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
  const row = page.getByRole("row", { name: new RegExp(`^${username}\\b`) });
  await expect(row).toBeVisible();
  await expect(row).not.toContainText("Not saved yet");
}

/** Organization Management > Organizations > New Organization, filled in and created. */
export async function newOrganization(page: Page, name: string, handle: string, parent?: string) {
  await page.getByRole("button", { name: "New Organization" }).click();
  const form = page.getByRole("region", { name: "New Organization" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Handle").fill(handle);
  if (parent) {
    await form.getByLabel("Parent organization").selectOption({ label: parent });
  }
  await form.getByRole("button", { name: "Create" }).click();
}

/** The organization tree's row of one organization. */
export function organizationRow(page: Page, name: string) {
  return page.getByRole("row").filter({ has: page.getByRole("cell", { name, exact: true }) });
}

/** Organization Management > Organizations > Switch: the Console then manages that organization. */
export async function switchToOrganization(page: Page, name: string) {
  await openMenu(page, "Organizations");
  await organizationRow(page, name).getByRole("button", { name: `Switch to ${name}` }).click();
  await hydrated(page);
  await expect(page.locator(".switched-banner")).toContainText(name);
}

/** Console Settings > Administrators > Add Administrators: the username, the Administrator role, Add. */
export async function addAdministrator(page: Page, username: string) {
  await openMenu(page, "Console Settings");
  await page.getByRole("tab", { name: "Administrators" }).click();
  await page.getByRole("button", { name: "Add Administrators" }).click();
  const dialog = page.getByRole("dialog", { name: "Add Administrators" });
  await dialog.getByLabel("Username").fill(username);
  await expect(dialog.getByLabel("Role").locator("option:checked")).toHaveText("Administrator");
  await dialog.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByText("The administrator was added.")).toBeVisible();
  await page.getByLabel("Search administrators").fill(username);
  await expect(page.getByRole("row", { name: new RegExp(`^${username}\\b`) })).toContainText("Administrator");
}

/**
 * The guide's "Assign users with Impersonation Access", in the organization the Console manages:
 * User Management > Roles > Impersonator (audience My Account) > Users > Update, then the user is
 * made an administrator of the Console. A test gives these to a user of its own, never to ADMIN,
 * whom every other test uses.
 */
export async function makeImpersonator(page: Page, username: string) {
  await openMenu(page, "Roles");
  await page.getByLabel("Search roles").fill("Impersonator");
  const impersonatorRow = page.getByRole("row", { name: /Impersonator/ });
  await expect(impersonatorRow).toContainText("My Account");
  await impersonatorRow.getByRole("link", { name: "Impersonator", exact: true }).click();
  await hydrated(page);
  await assignUser(page, username);
  await addAdministrator(page, username);
}
