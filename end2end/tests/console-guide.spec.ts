import { expect, test } from "@playwright/test";
import * as client from "openid-client";
import { ADMIN, ADMIN_PASSWORD, addUser, assignUser, hydrated, openMenu, openTab, signIn, unique } from "./helpers";
import { authorizationRequest, CALLBACK, callbackUrl, CLIENT_ORIGIN, discover, fakeClientSite, verifyAccessToken } from "./oidc-helpers";

// The guide's Console steps, literally: assign the Impersonator role, add an administrator, and
// configure a business application for impersonation. Then the configuration is proved at the
// protocol level with openid-client.

const IMPERSONATE = "internal_user_impersonate";

/** Signs `username` into the application through the browser with `scope`; returns the access token's claims. */
async function signInToApplication(
  browser: import("@playwright/test").Browser,
  config: client.Configuration,
  username: string,
  password: string,
  scope: string,
) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await fakeClientSite(page);
  const authz = await authorizationRequest(config, scope);
  await signIn(page, username, password, authz.url.href);
  // Skip login consent: straight back to the application, no consent page.
  const landed = await callbackUrl(page);
  const tokens = await client.authorizationCodeGrant(config, landed, authz.checks);
  await context.close();
  return verifyAccessToken(config, tokens.access_token);
}

test("following the guide configures impersonation, and tokens show it", async ({ browser }) => {
  test.setTimeout(120_000);
  const impersonator = unique("imp");
  const plain = unique("plain");
  const password = "guide-password-1";
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await addUser(admin, impersonator, password);
  await addUser(admin, plain, password);

  // Step 1.1: User Management > Roles > Impersonator (audience My Account) > Users > Assigned Users > Update.
  await openMenu(admin, "Roles");
  const impersonatorRow = admin.getByRole("row", { name: /Impersonator/ });
  await expect(impersonatorRow).toContainText("My Account");
  await impersonatorRow.getByRole("link", { name: "Impersonator" }).click();
  await hydrated(admin);
  await expect(admin.locator(".breadcrumb")).toHaveText("Roles / Impersonator");
  await assignUser(admin, impersonator);

  // Step 1.2: Console Settings > Administrators > Add Administrators: username, Administrator, Add.
  await openMenu(admin, "Console Settings");
  await admin.getByRole("tab", { name: "Administrators" }).click();
  await admin.getByRole("button", { name: "Add Administrators" }).click();
  const dialog = admin.getByRole("dialog", { name: "Add Administrators" });
  await dialog.getByLabel("Username").fill(impersonator);
  await expect(dialog.getByLabel("Role")).toHaveValue(/.+/);
  await expect(dialog.getByLabel("Role").locator("option:checked")).toHaveText("Administrator");
  await dialog.getByRole("button", { name: "Add", exact: true }).click();
  await expect(admin.getByText("The administrator was added.")).toBeVisible();
  await expect(admin.getByRole("row", { name: new RegExp(impersonator) })).toContainText("Administrator");

  // A business application; a redirect URI that is not an absolute URL is refused next to the field.
  const appName = unique("Support desk ");
  await openMenu(admin, "Applications");
  await admin.getByRole("link", { name: "New Application" }).click();
  await hydrated(admin);
  await admin.getByLabel("Name").fill(appName);
  await admin.getByLabel("Confidential").check();
  await admin.getByLabel("Redirect URIs").fill("not a url");
  await admin.getByLabel("Access URL").fill(`${CLIENT_ORIGIN}/`);
  await admin.getByRole("button", { name: "Create" }).click();
  await expect(admin.locator("#field-redirect_uris-error")).toContainText("is not an absolute URL");
  await admin.getByLabel("Redirect URIs").fill(CALLBACK);
  await admin.getByRole("button", { name: "Create" }).click();
  // The one showing of the secret: with the client id beside it, each with a Copy button.
  const created = admin.getByRole("region", { name: "Application created" });
  const secret = await created.getByLabel("Client secret", { exact: true }).inputValue();
  expect(secret.length).toBeGreaterThan(30);
  const createdClientId = await created.getByLabel("Client ID", { exact: true }).inputValue();
  expect(createdClientId).toMatch(/^[0-9a-f]{32}$/);
  await admin.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await created.getByRole("button", { name: "Copy Client secret" }).click();
  await expect(created.getByText("Copied.")).toBeVisible();
  expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await admin.getByRole("link", { name: "Go to the application" }).click();
  await hydrated(admin);
  await expect(admin.getByRole("heading", { name: appName })).toBeVisible();

  // Configure step 1: API Authorization > Authorize an API Resource > User Impersonation > User Impersonation Scope > Finish.
  await openTab(admin, "API Authorization");
  await admin.getByRole("button", { name: "Authorize an API Resource" }).click();
  const authorize = admin.getByRole("dialog", { name: "Authorize an API Resource" });
  await authorize.getByLabel("API Resource").selectOption({ label: "User Impersonation" });
  await authorize.getByLabel("User Impersonation Scope").check();
  await authorize.getByRole("button", { name: "Finish" }).click();
  await expect(authorize).toHaveCount(0);
  const authorizedRow = admin.getByRole("row", { name: /User Impersonation/ });
  await expect(authorizedRow).toContainText("User Impersonation Scope");

  // Configure step 2: Roles tab > Role Audience: Application > New Role > name, API Resource, its checkbox, Create.
  await openTab(admin, "Roles");
  await admin.getByLabel("Application", { exact: true }).check();
  await admin.getByRole("link", { name: "New Role" }).click();
  await hydrated(admin);
  const roleName = unique("Support impersonation ");
  await admin.getByLabel("Role Name").fill(roleName);
  await expect(admin.getByLabel("Application", { exact: true })).toBeChecked();
  await admin.getByLabel("API Resource").selectOption({ label: "User Impersonation" });
  await admin.getByLabel("User Impersonation", { exact: true }).check();
  await expect(admin.getByLabel("User Impersonation Scope")).toBeChecked();
  await admin.getByRole("button", { name: "Create" }).click();
  await expect(admin.getByText("The role was created.")).toBeVisible();

  // The same name again, for the same application, is a field error.
  await admin.goBack();
  await hydrated(admin);
  await admin.getByLabel("Role Name").fill(roleName);
  await admin.getByRole("button", { name: "Create" }).click();
  await expect(admin.locator("#field-name-error")).toHaveText("A role with this name already exists for this audience.");

  // Configure step 3: User Management > Roles > the new role (audience: the application) > Users > Assigned Users (found, picked) > Update.
  await openMenu(admin, "Roles");
  await admin.getByLabel("Search roles").fill(roleName);
  const roleRow = admin.getByRole("row", { name: new RegExp(roleName) });
  await expect(roleRow).toContainText(appName);
  await roleRow.getByRole("link", { name: roleName }).click();
  await hydrated(admin);
  await assignUser(admin, impersonator);

  // Configure steps 4 and 5: Advanced > Skip login consent + Skip logout consent > Update; General > Discoverable application > Update.
  await openMenu(admin, "Applications");
  await admin.getByLabel("Search applications").fill(appName);
  await admin.getByRole("link", { name: appName }).click();
  await hydrated(admin);
  await openTab(admin, "Advanced");
  await admin.getByLabel("Skip login consent").check();
  await admin.getByLabel("Skip logout consent").check();
  await admin.getByRole("button", { name: "Update" }).click();
  await expect(admin.getByText("Saved.", { exact: true })).toBeVisible();
  await openTab(admin, "General");
  await admin.getByLabel("Discoverable application").check();
  await admin.getByRole("button", { name: "Update" }).click();
  await expect(admin.getByText("Saved.", { exact: true })).toBeVisible();
  await admin.reload();
  await hydrated(admin);
  await expect(admin.getByLabel("Discoverable application")).toBeChecked();
  await openTab(admin, "Advanced");
  await expect(admin.getByLabel("Skip login consent")).toBeChecked();
  await openTab(admin, "Protocol");
  const clientId = await admin.getByLabel("Client ID", { exact: true }).inputValue();
  expect(clientId).toBe(createdClientId);
  // The endpoints the application is configured with, for its organization (the root here).
  const endpoints = admin.getByRole("region", { name: "Endpoints" });
  const origin = new URL(admin.url()).origin;
  await expect(endpoints.getByLabel("Issuer", { exact: true })).toHaveValue(`${origin}/oauth2/token`);
  await expect(endpoints.getByLabel("Authorize", { exact: true })).toHaveValue(`${origin}/oauth2/authorize`);
  const discovery = await endpoints.getByLabel("Discovery", { exact: true }).inputValue();
  const metadata = await (await admin.request.get(discovery)).json();
  for (const [label, key] of [
    ["Token", "token_endpoint"],
    ["Userinfo", "userinfo_endpoint"],
    ["JWKS", "jwks_uri"],
    ["Introspection", "introspection_endpoint"],
    ["Revocation", "revocation_endpoint"],
    ["Logout", "end_session_endpoint"],
  ]) {
    await expect(endpoints.getByLabel(label, { exact: true })).toHaveValue(metadata[key]);
  }

  // Protocol: the Refresh token grace period is 0 unless set, bounded, and kept.
  const grace = admin.getByLabel("Refresh token grace period (seconds)");
  await expect(grace).toHaveValue("0");
  await grace.fill("61");
  await admin.getByRole("button", { name: "Update" }).click();
  await expect(admin.getByText("Enter a number of seconds from 0 to 60.")).toBeVisible();
  await expect(grace).toHaveValue("61");
  await grace.fill("10");
  await admin.getByRole("button", { name: "Update" }).click();
  await expect(admin.getByText("Saved.", { exact: true })).toBeVisible();
  await admin.reload();
  await hydrated(admin);
  await openTab(admin, "Protocol");
  await expect(admin.getByLabel("Refresh token grace period (seconds)")).toHaveValue("10");

  // The protocol effect: the impersonator's token carries the impersonation scope; another user's does not.
  const config = await discover({ client_id: clientId, client_secret: secret }, client.ClientSecretBasic(secret));
  const scope = `openid ${IMPERSONATE}`;
  const granted = await signInToApplication(browser, config, impersonator, password, scope);
  expect(String(granted.scope).split(" ")).toContain(IMPERSONATE);
  expect(granted.sub).toBeTruthy();
  const refused = await signInToApplication(browser, config, plain, password, scope);
  expect(String(refused.scope).split(" ")).not.toContain(IMPERSONATE);
  expect(String(refused.scope).split(" ")).toContain("openid");
});

test("a role that grants only some Console scopes gives a Console with only those features", async ({ browser }) => {
  const viewer = unique("viewer");
  const password = "viewer-password-1";
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await addUser(admin, viewer, password);

  // An organization role granting only "View Roles" of the Role Management API.
  await openMenu(admin, "Roles");
  await admin.getByRole("link", { name: "New Role" }).click();
  await hydrated(admin);
  const roleName = unique("Role viewers ");
  await admin.getByLabel("Role Name").fill(roleName);
  await admin.getByLabel("Organization", { exact: true }).check();
  await admin.getByLabel("API Resource").selectOption({ label: "Role Management" });
  await admin.getByLabel("View Roles").check();
  await admin.getByRole("button", { name: "Create" }).click();
  await expect(admin.getByText("The role was created.")).toBeVisible();
  await assignUser(admin, viewer);

  const page = await (await browser.newContext()).newPage();
  await signIn(page, viewer, password, "/console");
  await expect(page).toHaveURL(/\/console\/roles$/);
  await hydrated(page);
  const nav = page.getByRole("navigation", { name: "Console" });
  await expect(nav.getByRole("link", { name: "Roles" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Applications" })).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 1, name: "Roles" })).toBeVisible();
  await expect(page.getByRole("link", { name: "New Role" })).toHaveCount(0);
  // The server refuses what the screens do not offer.
  await page.goto("/console/users");
  await expect(page.getByText("You do not have permission to do that.")).toBeVisible();
  const refused = await page.request.post("/api/create_role", {
    data: { name: "Escalate", application: null, permissions: ["internal_user_mgt_delete"] },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(refused.status()).toBe(403);
});
