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
