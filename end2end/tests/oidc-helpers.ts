import { createServer } from "node:http";
import { expect, Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { createRemoteJWKSet, JWTPayload, jwtVerify } from "jose";
import * as client from "openid-client";
import { baseURL, serverBinary, serverEnv } from "../playwright.config";

/** Our issuer identifier, exactly: ID tokens, access tokens and `iss` responses must carry it. */
export const ISSUER = `${baseURL}/oauth2/token`;

/** A relying party that does not exist: the browser's requests to it are answered by `fakeClientSite` (a port for each of the runner's parallel workers). */
export const CLIENT_ORIGIN = `http://127.0.0.1:${3230 + Number(process.env.TEST_PARALLEL_INDEX ?? 0)}`;
export const CALLBACK = `${CLIENT_ORIGIN}/callback`;
export const LOGGED_OUT = `${CLIENT_ORIGIN}/logged-out`;

export const USER_SCOPE = "openid profile email offline_access";

export interface RegisteredClient {
  client_id: string;
  client_secret: string | null;
}

export interface ClientOptions {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  public?: boolean;
  grantTypes?: string[];
  /** Scopes of API resources the application is authorized for (API Authorization). */
  authorizeScopes?: string[];
  /** Where My Account's users open the application. */
  accessUrl?: string;
}

/** Runs a `server` command on the database the web server uses; returns the JSON line it printed. */
export function serverCommand(args: string[]): Record<string, unknown> {
  const stdout = execFileSync(serverBinary, args, {
    cwd: join(__dirname, ".."),
    env: { ...process.env, ...serverEnv },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 30_000,
  });
  // The one JSON line; anything else on stdout (a log line) is not ours to parse.
  const line = stdout.split("\n").filter((l) => l.trim().startsWith("{")).pop();
  expect(line, `${args[0]} printed no JSON:\n${stdout}`).toBeTruthy();
  return JSON.parse(line!) as Record<string, unknown>;
}

/** Registers an application with `server create-application`, on the database the web server uses. */
export function registerClient(options: ClientOptions): RegisteredClient {
  const args = ["create-application", "--name", options.name];
  for (const uri of options.redirectUris) args.push("--redirect-uri", uri);
  for (const uri of options.postLogoutRedirectUris ?? []) args.push("--post-logout-redirect-uri", uri);
  if (options.public) args.push("--public");
  for (const grant of options.grantTypes ?? []) args.push("--grant-type", grant);
  for (const scope of options.authorizeScopes ?? []) args.push("--authorize-scope", scope);
  if (options.accessUrl) args.push("--access-url", options.accessUrl);
  const registered = serverCommand(args) as unknown as RegisteredClient;
  expect(registered.client_id).toBeTruthy();
  expect(registered.client_secret === null).toBe(options.public === true);
  return registered;
}

/** Discovers our provider from the issuer (openid-client fetches `{issuer}/.well-known/openid-configuration`). */
export function discover(registered: RegisteredClient, auth?: client.ClientAuth) {
  return client.discovery(new URL(ISSUER), registered.client_id, registered.client_secret ?? undefined, auth, {
    execute: [client.allowInsecureRequests],
  });
}

/**
 * A real listener for the fake client, so the browser's redirects there land. (Playwright's
 * `page.route` does not see the target of a redirect that follows a `page.goto`.) One per worker;
 * `unref` lets the worker exit while it listens.
 */
let clientSite: Promise<void> | undefined;
export async function fakeClientSite(_page?: Page) {
  clientSite ??= new Promise<void>((resolve, reject) => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<!doctype html><title>Client</title><p>The client got the response.</p>");
    });
    server.once("error", reject);
    server.listen(Number(new URL(CLIENT_ORIGIN).port), "127.0.0.1", () => {
      server.unref();
      resolve();
    });
  });
  await clientSite;
}

/** The client's own page, once a redirect has landed there. */
export function clientPage(page: Page) {
  return page.getByText("The client got the response.");
}

/** A code + PKCE (S256) authorization request, with what the client keeps to check the response. */
export async function authorizationRequest(config: client.Configuration, scope = USER_SCOPE) {
  const pkceCodeVerifier = client.randomPKCECodeVerifier();
  const expectedState = client.randomState();
  const expectedNonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    scope,
    state: expectedState,
    nonce: expectedNonce,
    code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: "S256",
  });
  return { url, checks: { pkceCodeVerifier, expectedState, expectedNonce, idTokenExpected: true } };
}

/** The consent page: names the application, lists what it asks for; the user allows it. */
export async function allowConsent(page: Page, appName: string, listed: RegExp = /email/i) {
  await expect(page.getByRole("heading", { name: /wants to access your account/ })).toBeVisible();
  await expect(page.getByText(appName).first()).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: listed }).first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Deny", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Allow", exact: true }).click();
}

/** Waits for the redirect back to the client's callback and returns the URL it landed on. */
export async function callbackUrl(page: Page) {
  await expect(clientPage(page)).toBeVisible();
  await expect(page).toHaveURL((url) => url.origin + url.pathname === CALLBACK);
  return new URL(page.url());
}

/** Verifies an access token as an RFC 9068 JWT against our published keys, and returns its claims. */
export async function verifyAccessToken(config: client.Configuration, token: string) {
  const jwksUri = config.serverMetadata().jwks_uri;
  expect(jwksUri).toBeTruthy();
  const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(jwksUri!)), {
    issuer: ISSUER,
    typ: "at+jwt",
    algorithms: ["RS256"],
  });
  return payload as JWTPayload & Record<string, unknown>;
}

/** The ID token `at_hash` of an RS256 access token: the left half of its SHA-256, base64url. */
export function atHash(accessToken: string) {
  return createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url");
}

/** Expects an OAuth error response (`{"error": …}`) from the server, as openid-client reports it. */
export async function expectOAuthError(promise: Promise<unknown>, error: string) {
  const thrown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(thrown, `expected the server to answer "${error}", got: ${String(thrown)}`).toBeInstanceOf(
    client.ResponseBodyError,
  );
  expect((thrown as client.ResponseBodyError).error).toBe(error);
}
