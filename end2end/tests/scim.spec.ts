import { expect, test } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import * as client from "openid-client";
import { baseURL } from "../playwright.config";
import { ADMIN, ADMIN_PASSWORD, addUser, signIn, unique } from "./helpers";
import {
  allowConsent,
  authorizationRequest,
  CALLBACK,
  callbackUrl,
  discover,
  fakeClientSite,
  registerClient,
  serverCommand,
} from "./oidc-helpers";

const USER_MANAGEMENT = [
  "internal_user_mgt_list",
  "internal_user_mgt_view",
  "internal_user_mgt_create",
  "internal_user_mgt_update",
  "internal_user_mgt_delete",
];
const SCIM_SCOPE = ["openid", "internal_login", ...USER_MANAGEMENT].join(" ");

/** Signs `username` into a fresh provisioning application through the browser; returns the access token. */
async function provisioningToken(
  browser: import("@playwright/test").Browser,
  username: string,
  password: string,
  roleFor?: string,
) {
  const appName = unique("Provisioning ");
  const app = registerClient({ name: appName, redirectUris: [CALLBACK], authorizeScopes: USER_MANAGEMENT });
  if (roleFor) {
    // The role that lets `roleFor` manage users through this application (audience: the application).
    serverCommand([
      "create-role",
      "--name",
      unique("SCIM provisioning "),
      "--audience-application",
      app.client_id,
      ...USER_MANAGEMENT.flatMap((s) => ["--permission", s]),
      "--assign",
      roleFor,
    ]);
  }
  const config = await discover(app, client.ClientSecretBasic(app.client_secret!));
  const page = await (await browser.newContext()).newPage();
  await fakeClientSite(page);
  const authz = await authorizationRequest(config, SCIM_SCOPE);
  await signIn(page, username, password, authz.url.href);
  await allowConsent(page, appName, /your own profile/i);
  const tokens = await client.authorizationCodeGrant(config, await callbackUrl(page), authz.checks);
  return tokens;
}

test("scim2-tester finds no failure against /scim2, with a token whose role grants user management", async ({
  browser,
  request,
}) => {
  test.setTimeout(180_000);
  const tokens = await provisioningToken(browser, ADMIN, ADMIN_PASSWORD, ADMIN);
  for (const scope of USER_MANAGEMENT) expect(tokens.scope?.split(" ")).toContain(scope);

  const anonymous = await request.get("/scim2/Users");
  expect(anonymous.status()).toBe(401);
  expect((await anonymous.json()).schemas).toContain("urn:ietf:params:scim:api:messages:2.0:Error");

  const check = spawnSync(join(__dirname, "..", "..", "scripts", "scim-check.sh"), [`${baseURL}/scim2`, tokens.access_token], {
    encoding: "utf8",
    timeout: 150_000,
  });
  const report = `${check.stdout}\n${check.stderr}`;
  console.log(report);
  expect(check.status, report).toBe(0);
  expect(report).toMatch(/\d+ passed, 0 failed/);
});

test("without the role a token may not manage users, but /scim2/Me shows and edits one's own profile", async ({
  browser,
  request,
}) => {
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  const username = unique("maja");
  await addUser(admin, username, "maja-password-1");
  const tokens = await provisioningToken(browser, username, "maja-password-1");
  expect(tokens.scope?.split(" ")).not.toContain("internal_user_mgt_list");
  const bearer = { Authorization: `Bearer ${tokens.access_token}` };

  const list = await request.get("/scim2/Users", { headers: bearer });
  expect(list.status()).toBe(403);
  expect((await list.json()).status).toBe("403");

  const me = await request.get("/scim2/Me", { headers: bearer });
  expect(me.status()).toBe(200);
  const mine = await me.json();
  expect(mine.userName).toBe(username);
  const patched = await request.patch("/scim2/Me", {
    headers: { ...bearer, "Content-Type": "application/scim+json" },
    data: {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "name.givenName", value: "Maja" }],
    },
  });
  expect(patched.status()).toBe(200);
  expect((await patched.json()).name.givenName).toBe("Maja");
  const promote = await request.patch("/scim2/Me", {
    headers: { ...bearer, "Content-Type": "application/scim+json" },
    data: {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "userName", value: "someone-else" }],
    },
  });
  expect(promote.status()).toBe(400);

  // The change shows in the Console.
  await admin.goto(`/console/users/${mine.id}`);
  await expect(admin.getByLabel("First Name")).toHaveValue("Maja");
});
