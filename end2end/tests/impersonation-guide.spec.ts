import { expect, test } from "@playwright/test";
import {
  ADMIN,
  ADMIN_PASSWORD,
  addUser,
  enableMyAccount,
  hydrated,
  makeImpersonator,
  openMenu,
  signIn,
  skipConsentAndMakeDiscoverable,
  unique,
} from "./helpers";
import { registerClient, serverCommand } from "./oidc-helpers";
import { startSampleApp, SAMPLE_ORIGIN } from "./sample-app-process";

// The whole guide with the sample business application: configure it for impersonation as the
// guide says, impersonate a user from the Console (Step 2), see only the permitted applications in
// My Account, launch the sample, see who really acts there, change the user's country through it,
// stop impersonating and be back in the Console as oneself. The impersonator is a user of the
// test's own, given the guide's Step 1 here: the role that lets them impersonate in the sample goes
// to nobody another test signs in as (impersonation-console.spec.ts expects the bootstrapped
// administrator to have no application to launch as a user).

test("the guide end to end: impersonate, launch the sample application as the user, stop", async ({ browser }) => {
  test.setTimeout(90_000);
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await enableMyAccount(admin);
  const impersonator = unique("ivo");
  const impersonatorPassword = "ivo-password-1";
  await addUser(admin, impersonator, impersonatorPassword);
  await makeImpersonator(admin, impersonator);
  const username = unique("ada");
  await addUser(admin, username, "ada-password-1");
  await admin.getByLabel("First Name").fill("Ada");
  await admin.getByLabel("Last Name").fill("Lovelace");
  await admin.getByRole("button", { name: "Update" }).click();
  await expect(admin.getByText("Saved.", { exact: true })).toBeVisible();

  // The sample application, configured for impersonation (Configure steps 1-3 by the operator
  // commands; console-guide.spec.ts walks them through the UI), then steps 4-5 in the Console.
  const appName = unique("Sample app ");
  const sample = registerClient({
    name: appName,
    redirectUris: [`${SAMPLE_ORIGIN}/callback`],
    postLogoutRedirectUris: [`${SAMPLE_ORIGIN}/`],
    accessUrl: `${SAMPLE_ORIGIN}/`,
    authorizeScopes: ["internal_user_impersonate"],
  });
  serverCommand([
    "create-role",
    "--name",
    `${appName} impersonation`,
    "--audience-application",
    sample.client_id,
    "--permission",
    "internal_user_impersonate",
    "--assign",
    impersonator,
  ]);
  await skipConsentAndMakeDiscoverable(admin, appName);
  // Another discoverable application the impersonator may not impersonate in: never offered.
  const otherName = unique("Other app ");
  registerClient({
    name: otherName,
    redirectUris: ["http://127.0.0.1:3297/callback"],
    accessUrl: "http://127.0.0.1:3297/",
    authorizeScopes: ["internal_user_impersonate"],
  });
  await skipConsentAndMakeDiscoverable(admin, otherName);

  // The impersonator signs in to the Console with their own credentials.
  const support = await (await browser.newContext()).newPage();
  await signIn(support, impersonator, impersonatorPassword, "/console");
  await expect(support).toHaveURL(/\/console/);
  await hydrated(support);

  const sampleProcess = await startSampleApp(sample.client_id, sample.client_secret);
  try {
    // Who the impersonator is (their own page's id), to recognise them in `act`.
    await openMenu(support, "Users");
    await support.getByLabel("Search users").fill(impersonator);
    await support.getByRole("link", { name: impersonator, exact: true }).click();
    // The user's page is a lazily loaded route: the address changes once it has loaded.
    await expect(support.getByRole("heading", { level: 1, name: impersonator })).toBeVisible();
    const impersonatorId = new URL(support.url()).pathname.split("/").pop()!;

    // Step 2: User management > Users > the user > Impersonate User.
    await openMenu(support, "Users");
    await support.getByLabel("Search users").fill(username);
    await support.getByRole("link", { name: username, exact: true }).click();
    await expect(support.getByRole("heading", { level: 1, name: username })).toBeVisible();
    const userId = new URL(support.url()).pathname.split("/").pop()!;
    const impersonate = support.getByRole("button", { name: "Impersonate User" });
    await impersonate.scrollIntoViewIfNeeded();
    const [myAccount] = await Promise.all([support.context().waitForEvent("page"), impersonate.click()]);
    await myAccount.waitForLoadState();
    await expect(myAccount).toHaveURL(/\/myaccount$/);
    await hydrated(myAccount);
    await expect(myAccount.locator(".impersonation-banner")).toContainText(
      `You are impersonating Ada Lovelace (${username})`,
    );

    // Only the permitted application is offered.
    const applications = myAccount.getByRole("region", { name: "Applications" });
    await expect(applications).toContainText(appName);
    await expect(applications).not.toContainText(otherName);

    // Launch it: the sample signs in by SSO, as the user, and says who really acts.
    const [launched] = await Promise.all([
      myAccount.context().waitForEvent("page"),
      applications.getByRole("link", { name: /Launch/ }).first().click(),
    ]);
    await launched.waitForLoadState();
    await expect(launched).toHaveURL(`${SAMPLE_ORIGIN}/`);
    await launched.getByRole("link", { name: "Sign in with Guise" }).click();
    await expect(launched).toHaveURL(`${SAMPLE_ORIGIN}/`);
    await expect(launched.locator("#signed-in")).toHaveText(`Signed in as ${username}`);
    await expect(launched.locator("#sub")).toHaveText(userId);
    await expect(launched.locator("#acting")).toHaveText(
      `Acting on behalf of ${username} (${userId}) by ${impersonatorId}`,
    );

    // The country, changed through the sample with the impersonated token.
    await launched.getByLabel("New country").fill("Sweden");
    await launched.getByRole("button", { name: "Change country" }).click();
    await expect(launched.locator("#notice")).toHaveText("Your country was changed to Sweden.");
    await expect(launched.locator("#country")).toHaveText("Your country: Sweden");

    // Stop impersonating: back on the user's page in the Console, as oneself.
    await myAccount.bringToFront();
    await myAccount.getByRole("button", { name: "Stop impersonating" }).click();
    await expect(myAccount).toHaveURL(new RegExp(`/console/users/${userId}$`));
    await hydrated(myAccount);
    await expect(myAccount.locator(".topbar .who")).toHaveText(impersonator);
    await expect(myAccount.getByLabel("Country")).toHaveValue("Sweden");
    const recorded = myAccount
      .getByRole("region", { name: "Impersonation sessions" })
      .getByRole("row", { name: new RegExp(username) });
    await expect(recorded).toHaveCount(1);
    await expect(recorded).toContainText(appName);
    await expect(recorded).toContainText("My Account");

    // What the sample held died with the impersonation: its token no longer reads the user.
    await launched.reload();
    await expect(launched.locator("#country")).toContainText("could not be read");
  } finally {
    sampleProcess.kill();
  }
});
