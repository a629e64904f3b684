import { expect, Page } from "@playwright/test";

export const ADMIN = "admin";
export const ADMIN_PASSWORD = "e2e-admin-password";

/** Signs in through the one login page, starting from `start` (which redirects there). */
export async function signIn(page: Page, username: string, password: string, start = "/myaccount") {
  await page.goto(start);
  await expect(page).toHaveURL(/\/login\?/);
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
