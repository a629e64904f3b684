import { expect, Page, test } from "@playwright/test";
import { createHmac } from "node:crypto";
import { ADMIN, ADMIN_PASSWORD, addUser, enableMyAccount, hydrated, makeImpersonator, openUser, signIn, unique } from "./helpers";

/** RFC 4648 base32 (the key My Account shows, spaces ignored) to bytes. */
function fromBase32(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text.replace(/\s+/g, "").toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** The authenticator app's code for a 30-second step (RFC 6238: HMAC-SHA1, six digits). */
function totp(secret: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, "0");
}

const stepNow = () => Math.floor(Date.now() / 1000 / 30);

/** The password step of the sign-in, for a user who has an authenticator app: the code form. */
async function passwordStep(page: Page, username: string, password: string) {
  await signIn(page, username, password);
  await expect(page.getByRole("heading", { level: 1, name: "Two-step verification" })).toBeVisible();
}

async function typeCode(page: Page, code: string) {
  await page.getByLabel("Code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
}

test("an authenticator app: enrol with its QR code, sign in with its codes once each and with a recovery code once; an administrator resets it", async ({ browser }) => {
  const username = unique("tess");
  const password = "tess-password-1";
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await enableMyAccount(admin);
  await addUser(admin, username, password);

  const user = await (await browser.newContext()).newPage();
  await signIn(user, username, password);
  await hydrated(user);
  const card = user.getByRole("region", { name: "Two-step verification" });
  await expect(card).toContainText("Off: signing in takes only the password.");

  // Enrolment: the QR code, the key for typing, and a first code from the app.
  await card.getByRole("button", { name: "Add authenticator app" }).click();
  await expect(card.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = fromBase32(await card.locator(".secret-key").innerText());
  expect(secret.length).toBe(20);
  const enrolledAt = stepNow();
  const wrongFor = (code: string) => (code === "000000" ? "111111" : "000000");
  await card.getByLabel("Code from the app").fill(wrongFor(totp(secret, enrolledAt)));
  await card.getByRole("button", { name: "Confirm" }).click();
  await expect(card.locator("#field-code-error")).toContainText("not the one your app shows now");
  await card.getByLabel("Code from the app").fill(totp(secret, enrolledAt));
  await card.getByRole("button", { name: "Confirm" }).click();
  const codes = card.locator("ol.codes li");
  await expect(codes).toHaveCount(10);
  const recoveryCodes = await codes.allInnerTexts();
  await expect(card).toContainText("10 recovery codes left.");

  // Signing in now takes a code: a wrong one is refused beside the field.
  await user.getByRole("button", { name: "Sign out" }).click();
  await passwordStep(user, username, password);
  await typeCode(user, wrongFor(totp(secret, enrolledAt + 1)));
  await expect(user.getByText("That code is not right, or it was already used.")).toBeVisible();
  // The app's next code (the one enrolment used no longer counts).
  const next = totp(secret, stepNow() + 1);
  await typeCode(user, next);
  await expect(user).toHaveURL(/\/myaccount$/);
  await hydrated(user);

  // The same code a second time: refused. A recovery code, typed loosely: accepted, once.
  await user.getByRole("button", { name: "Sign out" }).click();
  await passwordStep(user, username, password);
  await typeCode(user, next);
  await expect(user.getByText("That code is not right, or it was already used.")).toBeVisible();
  await typeCode(user, recoveryCodes[0].toLowerCase().replace(/-/g, " "));
  await expect(user).toHaveURL(/\/myaccount$/);
  await hydrated(user);
  await expect(card).toContainText("9 recovery codes left.");
  await user.getByRole("button", { name: "Sign out" }).click();
  await passwordStep(user, username, password);
  await typeCode(user, recoveryCodes[0]);
  await expect(user.getByText("That code is not right, or it was already used.")).toBeVisible();

  // The administrator sees it on the user's page and resets it: the password alone signs in again.
  await admin.goto("/console");
  await openUser(admin, username);
  const factors = admin.getByRole("region", { name: "Two-step verification" });
  await expect(factors).toContainText("9 recovery codes left.");
  await factors.getByRole("button", { name: "Reset two-step verification" }).click();
  await admin.getByRole("alertdialog", { name: "Reset two-step verification?" }).getByRole("button", { name: "Reset" }).click();
  await expect(admin.getByText("Two-step verification was reset")).toBeVisible();
  await expect(admin.getByRole("region", { name: "Two-step verification" })).toContainText("Off.");

  await signIn(user, username, password);
  await expect(user).toHaveURL(/\/myaccount$/);
  await hydrated(user);
  await expect(card).toContainText("Off: signing in takes only the password.");
});

test("an impersonator with an authenticator app confirms who they are, with its code, before Impersonate User", async ({ browser }) => {
  const impersonator = unique("ivo");
  const target = unique("tara");
  const password = "ivo-password-1";
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await enableMyAccount(admin);
  await addUser(admin, impersonator, password);
  await addUser(admin, target, "tara-password-1");
  await makeImpersonator(admin, impersonator);

  // The impersonator adds an authenticator app in My Account (signed in with the password alone).
  const ivo = await (await browser.newContext()).newPage();
  await signIn(ivo, impersonator, password);
  await hydrated(ivo);
  const card = ivo.getByRole("region", { name: "Two-step verification" });
  await card.getByRole("button", { name: "Add authenticator app" }).click();
  const secret = fromBase32(await card.locator(".secret-key").innerText());
  await card.getByLabel("Code from the app").fill(totp(secret, stepNow()));
  await card.getByRole("button", { name: "Confirm" }).click();
  await expect(card.locator("ol.codes li")).toHaveCount(10);

  // In the Console, this session's sign-in had no second factor: Impersonate User waits for one.
  await ivo.goto("/console");
  await openUser(ivo, target);
  const impersonate = ivo.getByRole("button", { name: "Impersonate User" });
  await expect(impersonate).toBeDisabled();
  const confirm = ivo.getByRole("form", { name: "Confirm it's you" });
  await confirm.getByLabel("Your password").fill(password);
  await confirm.getByLabel("Code").fill("000000" === totp(secret, stepNow() + 1) ? "111111" : "000000");
  await confirm.getByRole("button", { name: "Confirm" }).click();
  await expect(ivo.getByRole("form", { name: "Confirm it's you" }).getByText("That code is not right, or it was already used.")).toBeVisible();
  await hydrated(ivo);
  await ivo.getByRole("form", { name: "Confirm it's you" }).getByLabel("Your password").fill(password);
  await ivo.getByRole("form", { name: "Confirm it's you" }).getByLabel("Code").fill(totp(secret, stepNow() + 1));
  await ivo.getByRole("form", { name: "Confirm it's you" }).getByRole("button", { name: "Confirm" }).click();
  await hydrated(ivo);
  await expect(ivo.getByRole("form", { name: "Confirm it's you" })).toHaveCount(0);
  await expect(impersonate).toBeEnabled();
  const [tab] = await Promise.all([ivo.context().waitForEvent("page"), impersonate.click()]);
  await tab.waitForLoadState();
  await hydrated(tab);
  await expect(tab.locator(".impersonation-banner")).toContainText(`You are impersonating ${target}`);
});
