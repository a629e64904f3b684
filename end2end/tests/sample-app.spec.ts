import { expect, test } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { SAMPLE_ORIGIN, startSampleApp } from "./sample-app-process";
import * as client from "openid-client";
import { ADMIN, ADMIN_PASSWORD, addUser, enableMyAccount, hydrated, signIn, unique } from "./helpers";
import {
  allowConsent,
  authorizationRequest,
  CALLBACK,
  callbackUrl,
  discover,
  fakeClientSite,
  registerClient,
} from "./oidc-helpers";

/** An access token of the user's own for `/scim2/Me`, through another client, in a browser of its own. */
async function ownToken(browser: import("@playwright/test").Browser, username: string, password: string) {
  const appName = unique("Checker ");
  const app = registerClient({ name: appName, redirectUris: [CALLBACK] });
  const config = await discover(app, client.ClientSecretBasic(app.client_secret!));
  const page = await (await browser.newContext()).newPage();
  await fakeClientSite(page);
  const authz = await authorizationRequest(config, "openid internal_login");
  await signIn(page, username, password, authz.url.href);
  await allowConsent(page, appName, /your own profile/i);
  const tokens = await client.authorizationCodeGrant(config, await callbackUrl(page), authz.checks);
  return tokens.access_token;
}

test("the sample application signs a user in through Guise and changes their country with SCIM", async ({
  browser,
  request,
}) => {
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  // The user opens My Account below: on, whatever an earlier test left.
  await enableMyAccount(admin);
  const username = unique("sofia");
  await addUser(admin, username, "sofia-password-1");

  const appName = unique("Sample app ");
  const app = registerClient({
    name: appName,
    redirectUris: [`${SAMPLE_ORIGIN}/callback`],
    postLogoutRedirectUris: [`${SAMPLE_ORIGIN}/`],
    accessUrl: `${SAMPLE_ORIGIN}/`,
  });
  const sample = await startSampleApp(app.client_id, app.client_secret);
  try {
    const user = await (await browser.newContext()).newPage();
    await user.goto(`${SAMPLE_ORIGIN}/`);
    await user.getByRole("link", { name: "Sign in with Guise" }).click();
    // Guise's one login page, then its consent page for the sample's scopes.
    await expect(user).toHaveURL(/\/login\?/);
    await user.getByLabel("Username").fill(username);
    await user.getByLabel("Password").fill("sofia-password-1");
    await user.getByRole("button", { name: "Sign in" }).click();
    await allowConsent(user, appName, /your own profile/i);

    await expect(user).toHaveURL(`${SAMPLE_ORIGIN}/`);
    await expect(user.locator("#signed-in")).toHaveText(`Signed in as ${username}`);
    const sub = (await user.locator("#sub").textContent()) ?? "";
    expect(sub).toMatch(/^[0-9a-f-]{36}$/);
    // Nobody acts on this user's behalf.
    await expect(user.locator("#acting")).toHaveCount(0);
    await expect(user.locator("#country")).toHaveText("Your country is not set.");

    // A refused value shows SCIM's error detail, and nothing changes.
    await user.getByLabel("New country").fill("x".repeat(65));
    await user.getByRole("button", { name: "Change country" }).click();
    await expect(user.locator("#notice")).toContainText("A country has at most 64 characters.");
    await expect(user.locator("#country")).toHaveText("Your country is not set.");

    await user.getByLabel("New country").fill("Sweden");
    await user.getByRole("button", { name: "Change country" }).click();
    await expect(user.locator("#notice")).toHaveText("Your country was changed to Sweden.");
    await expect(user.locator("#country")).toHaveText("Your country: Sweden");

    // Guise has it: SCIM answers it to a token of another client, and My Account shows it (the
    // same Guise session signs in there).
    const token = await ownToken(browser, username, "sofia-password-1");
    const me = await request.get("/scim2/Me", { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status()).toBe(200);
    const mine = await me.json();
    expect(mine.id).toBe(sub);
    expect(mine.addresses).toEqual([{ type: "home", primary: true, country: "Sweden" }]);
    await user.goto(`${baseURL}/myaccount`);
    await hydrated(user);
    await expect(user.getByLabel("Country")).toHaveValue("Sweden");

    // Signing out of the sample signs out of Guise too (RP-initiated logout), back to the sample.
    await user.goto(`${SAMPLE_ORIGIN}/`);
    await user.getByRole("link", { name: "Sign out" }).click();
    await user.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(user).toHaveURL(`${SAMPLE_ORIGIN}/`);
    await expect(user.getByRole("link", { name: "Sign in with Guise" })).toBeVisible();
    await user.goto(`${baseURL}/myaccount`);
    await expect(user).toHaveURL(/\/login\?/);
  } finally {
    sample.kill();
  }
});
