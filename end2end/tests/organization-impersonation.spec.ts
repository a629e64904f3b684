import { expect, Page, test } from "@playwright/test";
import {
  ADMIN,
  ADMIN_PASSWORD,
  addAdministrator,
  addUser,
  assignUser,
  enableMyAccount,
  hydrated,
  newOrganization,
  openMenu,
  openUser,
  organizationRow,
  shareApplication,
  signIn,
  skipConsentAndMakeDiscoverable,
  unique,
} from "./helpers";
import { registerClient } from "./oidc-helpers";
import { startSampleApp, SAMPLE_ORIGIN } from "./sample-app-process";

// The guide's "Impersonate users in an organization", in the browser: the root administrator
// shares My Account and a business application with a child organization, switches into it, makes
// one of its users an Administrator and an Impersonator there; that user signs in to the
// organization's Console, impersonates another of its users, and launches the shared application
// as them. The guide's limitation is shown to the root administrator, who is not the
// organization's own user.

const PASSWORD = "org-password-1";

/** The user page's id (the last path segment). */
async function userId(page: Page, username: string) {
  await openUser(page, username);
  return new URL(page.url()).pathname.split("/").pop()!;
}

test("an organization's own impersonator impersonates its user and launches a shared application", async ({ browser }) => {
  test.setTimeout(180_000);
  const tag = unique("");
  const orgName = `Support org ${tag}`;
  const handle = `support-${tag}`.toLowerCase();
  const mia = unique("mia");
  const carl = unique("carl");

  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await enableMyAccount(admin);
  await hydrated(admin);
  await openMenu(admin, "Organizations");
  await newOrganization(admin, orgName, handle);
  await expect(organizationRow(admin, orgName)).toHaveCount(1);

  // The sample business application, authorized for Organization User Impersonation (Configure
  // step 1 by the operator command), made discoverable and consent-free, shared with every
  // organization; and Step 1: My Account shared with the organization.
  const appName = unique("Org sample ");
  const sample = registerClient({
    name: appName,
    redirectUris: [`${SAMPLE_ORIGIN}/callback`],
    postLogoutRedirectUris: [`${SAMPLE_ORIGIN}/`],
    accessUrl: `${SAMPLE_ORIGIN}/`,
    authorizeScopes: ["internal_org_user_impersonate"],
  });
  await skipConsentAndMakeDiscoverable(admin, appName);
  await shareApplication(admin, appName, "all");
  await shareApplication(admin, "My Account", orgName);

  // Step 2.1: Organization Management > Organizations > Switch.
  await openMenu(admin, "Organizations");
  await organizationRow(admin, orgName).getByRole("button", { name: `Switch to ${orgName}` }).click();
  await hydrated(admin);
  await expect(admin.locator(".switched-banner")).toContainText(orgName);
  await addUser(admin, mia, PASSWORD);
  await addUser(admin, carl, PASSWORD);
  await admin.getByLabel("First Name").fill("Carl");
  await admin.getByLabel("Last Name").fill("Branch");
  await admin.getByRole("button", { name: "Update" }).click();
  await expect(admin.getByText("Saved.", { exact: true })).toBeVisible();

  // The root administrator is not the organization's own user: the button says why it is off.
  const refused = admin.getByRole("region", { name: "Impersonation", exact: true });
  await expect(admin.getByRole("button", { name: "Impersonate User" })).toBeDisabled();
  await expect(refused).toContainText("Only this organization's own users can impersonate its users");

  // Step 2.2: User Management > Roles > Impersonator (audience My Account) > Users > Update.
  await openMenu(admin, "Roles");
  const impersonatorRow = admin.getByRole("row", { name: /Impersonator/ });
  await expect(impersonatorRow).toContainText("My Account");
  await impersonatorRow.getByRole("link", { name: "Impersonator" }).click();
  await hydrated(admin);
  await assignUser(admin, mia);

  // Step 2.3: Console Settings > Administrators > Add Administrators.
  await addAdministrator(admin, mia);

  // The shared application's role in the organization that permits impersonation in it
  // (Configure steps 2 and 3, in the organization).
  await openMenu(admin, "Roles");
  await admin.getByRole("link", { name: "New Role" }).click();
  await hydrated(admin);
  const roleName = unique("Org support ");
  await admin.getByLabel("Role Name").fill(roleName);
  await admin.getByLabel("Application", { exact: true }).check();
  await admin.getByLabel("Assigned application").selectOption({ label: appName });
  await admin.getByLabel("API Resource").selectOption({ label: "Organization User Impersonation" });
  await admin.getByLabel("User Impersonation Scope for Organizations").check();
  await admin.getByRole("button", { name: "Create" }).click();
  await expect(admin.getByText("The role was created.")).toBeVisible();
  await openMenu(admin, "Roles");
  await admin.getByLabel("Search roles").fill(roleName);
  await admin.getByRole("row", { name: new RegExp(roleName) }).getByRole("link", { name: roleName }).click();
  await hydrated(admin);
  await assignUser(admin, mia);
  await admin.context().close();

  const sampleProcess = await startSampleApp(sample.client_id, sample.client_secret);
  try {
    // Step 3: the impersonator signs in to the organization's Console with its handle.
    const console = await (await browser.newContext()).newPage();
    await signIn(console, mia, PASSWORD, "/console", handle);
    await expect(console).toHaveURL(/\/console/);
    await hydrated(console);
    const miaId = await userId(console, mia);
    const carlId = await userId(console, carl);
    const impersonate = console.getByRole("button", { name: "Impersonate User" });
    await impersonate.scrollIntoViewIfNeeded();
    const [myAccount] = await Promise.all([console.context().waitForEvent("page"), impersonate.click()]);
    await myAccount.waitForLoadState();
    await expect(myAccount).toHaveURL(/\/myaccount$/);
    await hydrated(myAccount);
    await expect(myAccount.locator(".impersonation-banner")).toContainText(
      `You are impersonating Carl Branch (${carl})`,
    );

    // The shared application is offered, and signs in as Carl, in the organization, with Mia acting.
    const applications = myAccount.getByRole("region", { name: "Applications" });
    await expect(applications).toContainText(appName);
    const [launched] = await Promise.all([
      myAccount.context().waitForEvent("page"),
      applications.getByRole("link", { name: /Launch/ }).first().click(),
    ]);
    await launched.waitForLoadState();
    await launched.getByRole("link", { name: "Sign in with Guise" }).click();
    await expect(launched).toHaveURL(`${SAMPLE_ORIGIN}/`);
    await expect(launched.locator("#signed-in")).toHaveText(`Signed in as ${carl}`);
    await expect(launched.locator("#sub")).toHaveText(carlId);
    await expect(launched.locator("#organization")).toHaveText(orgName);
    await expect(launched.locator("#acting")).toHaveText(`Acting on behalf of ${carl} (${carlId}) by ${miaId}`);
  } finally {
    sampleProcess.kill();
  }
});

test("the login page says when no active organization has the handle", async ({ page }) => {
  await signIn(page, "someone", "some-password-1", "/console", `nowhere-${unique("")}`);
  await expect(page).toHaveURL(/error=unknown_organization/);
  await expect(page.getByText("No active organization has this handle.")).toBeVisible();
  await expect(page.getByLabel("Organization")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Username")).toHaveValue("someone");
});
