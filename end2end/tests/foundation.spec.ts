import { expect, test } from "@playwright/test";
import { ADMIN, ADMIN_PASSWORD, addUser, enableMyAccount, hydrated, signIn, unique } from "./helpers";

test("an administrator adds a user, who edits their name in My Account, and the administrator sees it", async ({ browser }) => {
  const username = unique("maria");
  const password = "maria-first-password";

  // The administrator signs in to the Console and adds a user.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await expect(admin).toHaveURL(/\/console\/users$/);
  await expect(admin.getByRole("heading", { name: "Users" })).toBeVisible();
  await hydrated(admin);
  // The user below signs in to My Account: on, whatever an earlier test left.
  await enableMyAccount(admin);
  await admin.getByRole("link", { name: "Add User" }).click();
  await admin.getByLabel("Username").fill(username);
  await admin.getByLabel("Email").fill(`${username}@example.com`);
  await admin.getByLabel("First Name").fill("Maria");
  await admin.getByLabel("Last Name").fill("Garcia");
  await admin.getByLabel("Password").fill(password);
  await admin.getByRole("button", { name: "Add User" }).click();
  await expect(admin.getByText("The user was added.")).toBeVisible();
  await expect(admin.getByRole("heading", { name: username })).toBeVisible();

  // Adding the same username again is refused next to the field, and the typed values stay.
  await admin.goto("/console/users/new");
  await hydrated(admin);
  await admin.getByLabel("Username").fill(username.toUpperCase());
  await admin.getByLabel("Email").fill("someone@example.com");
  await admin.getByLabel("Password").fill("another-password");
  await admin.getByRole("button", { name: "Add User" }).click();
  await expect(admin.locator("#field-username-error")).toHaveText("This username is already taken.");
  await expect(admin.getByLabel("Email")).toHaveValue("someone@example.com");

  // The new user signs in to My Account and changes their first name.
  const userContext = await browser.newContext();
  const user = await userContext.newPage();
  await signIn(user, username, password);
  await expect(user).toHaveURL(/\/myaccount$/);
  await expect(user.getByRole("heading", { name: "Hello, Maria Garcia" })).toBeVisible();
  await hydrated(user);
  await user.getByLabel("First Name").fill("Mariana");
  await user.getByRole("button", { name: "Update" }).click();
  await expect(user.getByText("Your profile was updated.")).toBeVisible();
  await expect(user.getByRole("heading", { name: "Hello, Mariana Garcia" })).toBeVisible();

  // The administrator finds the user and sees the change.
  await admin.goto("/console/users");
  await hydrated(admin);
  await admin.getByLabel("Search users").fill(username);
  const row = admin.getByRole("row", { name: new RegExp(username) });
  await expect(row).toContainText("Mariana Garcia");

  // The user is not an administrator: the Console refuses them plainly.
  await user.goto("/console");
  await expect(user.getByRole("heading", { name: "You are not an administrator" })).toBeVisible();
  await expect(user.getByRole("link", { name: "Users" })).toHaveCount(0);

  await adminContext.close();
  await userContext.close();
});

test("a wrong password is refused and nothing is signed in", async ({ page }) => {
  await signIn(page, ADMIN, "not-the-password");
  await expect(page.getByRole("alert")).toHaveText("Incorrect username or password.");
  await expect(page.getByLabel("Username")).toHaveValue(ADMIN);
  await page.goto("/myaccount");
  await expect(page).toHaveURL(/\/login\?return_to=%2Fmyaccount/);
});

test("the Users list searches as you type, which needs the hydrated page", async ({ page }) => {
  await signIn(page, ADMIN, ADMIN_PASSWORD, "/console/users");
  await hydrated(page);
  const rows = page.locator("table.list tbody tr");
  await expect(rows.first()).toBeVisible();
  await page.getByLabel("Search users").fill("no-such-user-anywhere");
  await expect(page.getByText("No users match.")).toBeVisible();
  await expect(rows).toHaveCount(0);
  await page.getByLabel("Search users").fill(ADMIN);
  await expect(rows.first()).toContainText(ADMIN);
});

test("a user can be locked, which ends their access, and deleted after confirmation", async ({ browser }) => {
  const username = unique("lee");
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await addUser(admin, username, "lee-password-1");
  await hydrated(admin);

  // Lock asks first, and says what it does; Cancel changes nothing.
  await admin.getByRole("button", { name: "Lock" }).click();
  const lock = admin.getByRole("alertdialog", { name: `Lock ${username}?` });
  await expect(lock).toContainText("signed out everywhere");
  await lock.getByRole("button", { name: "Cancel" }).click();
  await expect(lock).toHaveCount(0);
  await expect(admin.locator(".page-header .status")).toHaveText("Active");
  await admin.getByRole("button", { name: "Lock" }).click();
  await admin.getByRole("alertdialog").getByRole("button", { name: "Lock" }).click();
  await expect(admin.locator(".page-header .status")).toHaveText("Locked");
  await expect(admin.getByRole("status").filter({ hasText: "The account is locked" })).toBeVisible();

  const user = await (await browser.newContext()).newPage();
  await signIn(user, username, "lee-password-1");
  await expect(user.getByRole("alert")).toHaveText("This account is locked. Contact your administrator.");

  await admin.getByRole("button", { name: "Delete User" }).click();
  const dialog = admin.getByRole("dialog");
  await expect(dialog).toContainText("This cannot be undone.");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await admin.getByRole("button", { name: "Delete User" }).click();
  await admin.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(admin).toHaveURL(/\/console\/users$/);
  await admin.getByLabel("Search users").fill(username);
  await expect(admin.getByText("No users match.")).toBeVisible();
});

test("pages carry the security headers and refuse cross-site writes", async ({ request }) => {
  const page = await request.get("/login");
  const csp = page.headers()["content-security-policy"];
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("'wasm-unsafe-eval'");
  expect(csp).toMatch(/'nonce-[A-Za-z0-9_-]+'/);
  expect(page.headers()["x-content-type-options"]).toBe("nosniff");
  expect(page.headers()["referrer-policy"]).toBe("no-referrer");

  const forged = await request.post("/api/create_user", {
    headers: { Origin: "https://evil.example", "Content-Type": "application/x-www-form-urlencoded" },
    data: "username=x&email=x%40example.com&given_name=&family_name=&password=password123",
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
});

test("a failed save keeps what was typed next to the error, in the Console and in My Account", async ({ browser }) => {
  const username = unique("kim");
  const password = "kim-password-1";
  const tooLong = "K".repeat(101);
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await addUser(admin, username, password);
  await hydrated(admin);
  await admin.getByLabel("First Name").fill(tooLong);
  await admin.getByLabel("Country").fill("Norway");
  await admin.getByRole("button", { name: "Update" }).click();
  await expect(admin.getByText("A first name has at most 100 characters.")).toBeVisible();
  await expect(admin.getByLabel("First Name")).toHaveValue(tooLong);
  await expect(admin.getByLabel("Country")).toHaveValue("Norway");
  // Corrected, it saves, and the page shows what is stored.
  await admin.getByLabel("First Name").fill("Kim");
  await admin.getByRole("button", { name: "Update" }).click();
  await expect(admin.getByText("Saved.", { exact: true })).toBeVisible();
  await admin.reload();
  await hydrated(admin);
  await expect(admin.getByLabel("First Name")).toHaveValue("Kim");
  await expect(admin.getByLabel("Country")).toHaveValue("Norway");

  const user = await (await browser.newContext()).newPage();
  await signIn(user, username, password);
  await hydrated(user);
  await user.getByLabel("First Name").fill(tooLong);
  await user.getByRole("button", { name: "Update" }).click();
  await expect(user.getByText("A first name has at most 100 characters.")).toBeVisible();
  await expect(user.getByLabel("First Name")).toHaveValue(tooLong);
});
