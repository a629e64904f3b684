import { expect, test } from "@playwright/test";
import * as client from "openid-client";
import { ADMIN, ADMIN_PASSWORD, addUser, signIn, unique } from "./helpers";
import {
  allowConsent,
  atHash,
  authorizationRequest,
  CALLBACK,
  callbackUrl,
  clientPage,
  discover,
  expectOAuthError,
  fakeClientSite,
  ISSUER,
  LOGGED_OUT,
  registerClient,
  verifyAccessToken,
} from "./oidc-helpers";

// Interoperability with openid-client, a strict third-party relying party library: every response
// below passes its checks (issuer, signatures, audience, nonce, state, the RFC 9207 `iss` parameter).

test("a confidential client signs a user in with code + PKCE, refreshes, revokes and signs out", async ({ browser }) => {
  test.slow();
  const username = unique("olga");
  const password = "olga-password-1";
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await addUser(admin, username, password);

  const appName = unique("Interop RP ");
  const app = registerClient({ name: appName, redirectUris: [CALLBACK], postLogoutRedirectUris: [LOGGED_OUT] });
  const config = await discover(app, client.ClientSecretBasic(app.client_secret!));
  const metadata = config.serverMetadata();
  expect(metadata.issuer).toBe(ISSUER);
  expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
  expect(metadata.code_challenge_methods_supported).toContain("S256");
  expect(metadata.token_endpoint_auth_methods_supported ?? ["client_secret_basic"]).toContain("client_secret_basic");

  // The user signs in on our login page and allows the application.
  const user = await (await browser.newContext()).newPage();
  await fakeClientSite(user);
  const first = await authorizationRequest(config);
  await signIn(user, username, password, first.url.href);
  await allowConsent(user, appName);
  const callback = await callbackUrl(user);
  expect(callback.searchParams.get("state")).toBe(first.checks.expectedState);
  expect(callback.searchParams.get("iss")).toBe(ISSUER);

  const tokens = await client.authorizationCodeGrant(config, callback, first.checks);
  expect(tokens.token_type).toBe("bearer");
  expect(tokens.refresh_token).toBeTruthy();
  const idToken = tokens.claims()!;
  expect(typeof idToken.sub).toBe("string");
  expect(typeof idToken.sid).toBe("string");
  expect(idToken.isk).toBeTruthy();
  expect(typeof idToken.auth_time).toBe("number");
  // openid-client does not check at_hash in the code flow; we do.
  expect(idToken.at_hash).toBe(atHash(tokens.access_token));

  const access = await verifyAccessToken(config, tokens.access_token);
  expect(access.sub).toBe(idToken.sub);
  expect(access.client_id).toBe(app.client_id);
  expect([access.aud].flat()).toContain(app.client_id);
  expect(String(access.scope).split(" ")).toContain("openid");
  expect(access.aut).toBe("APPLICATION_USER");

  const userInfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
  expect(userInfo.sub).toBe(idToken.sub);
  expect(userInfo.email).toBe(`${username}@example.com`);

  const introspected = await client.tokenIntrospection(config, tokens.access_token);
  expect(introspected).toMatchObject({ active: true, sub: idToken.sub, client_id: app.client_id });
  expect(String(introspected.scope).split(" ")).toContain("openid");
  expect(typeof introspected.exp).toBe("number");

  // Refresh tokens rotate; presenting a used one again is a replay (the application sets no Refresh
  // token grace period): it is refused and ends the whole family, the newest tokens included.
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
  expect(refreshed.access_token).not.toBe(tokens.access_token);
  expect(refreshed.refresh_token).toBeTruthy();
  expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
  expect((await verifyAccessToken(config, refreshed.access_token)).sub).toBe(idToken.sub);
  expect((await client.tokenIntrospection(config, refreshed.access_token)).active).toBe(true);
  await expectOAuthError(client.refreshTokenGrant(config, tokens.refresh_token!), "invalid_grant");
  expect(await client.tokenIntrospection(config, refreshed.access_token)).toEqual({ active: false });
  await expectOAuthError(client.refreshTokenGrant(config, refreshed.refresh_token!), "invalid_grant");

  // A second authorization in the same sign-in session (no login page; consent may be remembered).
  const second = await authorizationRequest(config);
  await user.goto(second.url.href);
  const consentHeading = user.getByRole("heading", { name: /wants to access your account/ });
  await expect(consentHeading.or(clientPage(user))).toBeVisible();
  if (await consentHeading.isVisible()) await allowConsent(user, appName);
  const again = await client.authorizationCodeGrant(config, await callbackUrl(user), second.checks);
  expect(again.claims()!.sub).toBe(idToken.sub);
  expect((await client.tokenIntrospection(config, again.access_token)).active).toBe(true);

  // Revoking the refresh token deactivates the access tokens of its grant.
  await client.tokenRevocation(config, again.refresh_token!);
  expect(await client.tokenIntrospection(config, again.access_token)).toEqual({ active: false });
  await expectOAuthError(client.refreshTokenGrant(config, again.refresh_token!), "invalid_grant");

  // RP-initiated logout: the user confirms, returns to the client with its state, and is signed out.
  const logoutState = client.randomState();
  const endSession = client.buildEndSessionUrl(config, {
    id_token_hint: again.id_token!,
    post_logout_redirect_uri: LOGGED_OUT,
    state: logoutState,
  });
  await user.goto(endSession.href);
  await expect(user.getByRole("button", { name: "Cancel", exact: true })).toBeVisible();
  await user.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(clientPage(user)).toBeVisible();
  await expect(user).toHaveURL((url) => url.origin + url.pathname === LOGGED_OUT);
  expect(new URL(user.url()).searchParams.get("state")).toBe(logoutState);
  await user.goto("/myaccount");
  await expect(user).toHaveURL(/\/login\?return_to=%2Fmyaccount/);
});

test("a confidential client gets an application token with client credentials", async ({ request }) => {
  // Discovery is served at the issuer and at the root, with the same issuer.
  const root = await request.get("/.well-known/openid-configuration");
  expect(root.ok()).toBe(true);
  expect((await root.json()).issuer).toBe(ISSUER);

  const app = registerClient({
    name: unique("Interop Service "),
    redirectUris: [CALLBACK],
    grantTypes: ["client_credentials"],
  });
  // openid-client's default client authentication: client_secret_post.
  const config = await discover(app);
  const tokens = await client.clientCredentialsGrant(config);
  expect(tokens.token_type).toBe("bearer");
  expect(tokens.refresh_token).toBeUndefined();
  expect(tokens.id_token).toBeUndefined();

  const access = await verifyAccessToken(config, tokens.access_token);
  expect(access.aut).toBe("APPLICATION");
  expect(access.client_id).toBe(app.client_id);
  // No user is involved: any `sub` names the client itself (RFC 9068 §2.2).
  expect(access.sub ?? app.client_id).toBe(app.client_id);
  expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(true);
  await expect(client.fetchUserInfo(config, tokens.access_token, client.skipSubjectCheck)).rejects.toThrow();
});

test("a public client uses code + PKCE without a secret, and must send a code challenge", async ({ browser }) => {
  const username = unique("piet");
  const password = "piet-password-1";
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await addUser(admin, username, password);

  const appName = unique("Interop SPA ");
  const app = registerClient({ name: appName, redirectUris: [CALLBACK], public: true });
  const config = await discover(app, client.None());

  const user = await (await browser.newContext()).newPage();
  await fakeClientSite(user);
  const authz = await authorizationRequest(config, "openid profile email");
  await signIn(user, username, password, authz.url.href);
  await allowConsent(user, appName);
  const tokens = await client.authorizationCodeGrant(config, await callbackUrl(user), authz.checks);
  const idToken = tokens.claims()!;
  const access = await verifyAccessToken(config, tokens.access_token);
  expect(access.sub).toBe(idToken.sub);
  expect(access.client_id).toBe(app.client_id);
  expect(access.aut).toBe("APPLICATION_USER");

  // Without code_challenge the request is refused back to the client, which still checks state and iss.
  const state = client.randomState();
  const withoutPkce = new URL(config.serverMetadata().authorization_endpoint!);
  withoutPkce.search = new URLSearchParams({
    client_id: app.client_id,
    response_type: "code",
    redirect_uri: CALLBACK,
    scope: "openid",
    state,
  }).toString();
  await user.goto(withoutPkce.href);
  const refused = await callbackUrl(user);
  expect(refused.searchParams.get("error")).toBe("invalid_request");
  expect(refused.searchParams.get("code")).toBeNull();
  const thrown = await client
    .authorizationCodeGrant(config, refused, { expectedState: state, pkceCodeVerifier: client.randomPKCECodeVerifier() })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(thrown, String(thrown)).toBeInstanceOf(client.AuthorizationResponseError);
  expect((thrown as client.AuthorizationResponseError).error).toBe("invalid_request");
});
