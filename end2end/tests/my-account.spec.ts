import { expect, test } from "@playwright/test";
import { ADMIN, ADMIN_PASSWORD, addUser, enableMyAccount, hydrated, signIn, unique } from "./helpers";

test("a user changes their password in My Account and signs in with the new one", async ({ browser }) => {
  const username = unique("nora");
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await enableMyAccount(admin);
  await addUser(admin, username, "nora-old-password");

  const user = await (await browser.newContext()).newPage();
  await signIn(user, username, "nora-old-password");
  await hydrated(user);

  // Field-level errors, and nothing saved: a bad email in the profile, a wrong current password.
  await user.getByLabel("Email").fill("not an email");
  await user.getByRole("button", { name: "Update" }).click();
  await expect(user.locator("#field-email-error")).toHaveText("Enter an email address like name@example.com.");

  await user.getByLabel("Current Password").fill("wrong-password");
  await user.getByLabel("New Password", { exact: true }).fill("nora-new-password");
  await user.getByLabel("Confirm New Password").fill("nora-new-password");
  await user.getByRole("button", { name: "Change Password" }).click();
  await expect(user.locator("#field-current_password-error")).toHaveText("The current password is not correct.");

  await user.getByLabel("Current Password").fill("nora-old-password");
  await user.getByLabel("Confirm New Password").fill("something-else");
  await user.getByRole("button", { name: "Change Password" }).click();
  await expect(user.locator("#field-confirm_password-error")).toHaveText("The two new passwords differ.");

  await user.getByLabel("Confirm New Password").fill("nora-new-password");
  await user.getByRole("button", { name: "Change Password" }).click();
  await expect(user.getByText("Your password was changed.")).toBeVisible();

  await user.getByRole("button", { name: "Sign out" }).click();
  await expect(user).toHaveURL(/\/login$/);
  await signIn(user, username, "nora-old-password");
  await expect(user.getByRole("alert")).toHaveText("Incorrect username or password.");
  await signIn(user, username, "nora-new-password");
  await expect(user).toHaveURL(/\/myaccount$/);
});

test("My Account's own bundle: a link to the Console loads the Console, and an unknown My Account page is not found", async ({ page }) => {
  const wasm: string[] = [];
  page.on("requestfinished", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith(".wasm")) wasm.push(path);
  });
  await signIn(page, ADMIN, ADMIN_PASSWORD, "/console");
  await hydrated(page);
  await enableMyAccount(page);
  await page.goto("/myaccount");
  await hydrated(page);
  expect(wasm.filter((p) => p.startsWith("/pkg/myaccount."))).toHaveLength(1);

  // My Account's bundle has no Console: following the link loads the Console from the server,
  // with the site's bundle, and it works there.
  wasm.length = 0;
  await page.getByRole("link", { name: "Go to the Console" }).click();
  await expect(page).toHaveURL(/\/console/);
  await hydrated(page);
  await expect(page.getByRole("navigation", { name: "Console" })).toBeVisible();
  expect(wasm.some((p) => /^\/pkg\/guise\./.test(p))).toBe(true);
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Users", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Users" })).toBeVisible();

  // An address under /myaccount that is no page: not found, on the server and once hydrated.
  const response = await page.goto("/myaccount/nowhere");
  expect(response?.status()).toBe(404);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(page).toHaveURL(/\/myaccount\/nowhere$/);
});
