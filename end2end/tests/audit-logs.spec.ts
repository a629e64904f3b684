import { expect, Page, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { auditLogPath } from "../playwright.config";
import { ADMIN, ADMIN_PASSWORD, addUser, enableMyAccount, hydrated, openMenu, openUser, signIn, unique } from "./helpers";

// Accountability, as an administrator and the impersonated user see it: what an impersonator
// changes is on the Console's Logs page (filters, export, integrity), and the user sees the
// impersonation and the change under My Account > Account activity.

test("what an impersonator changes is in the Logs and in the user's Account activity", async ({ browser }) => {
  const username = unique("ida");
  const password = "ida-password-1";
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await enableMyAccount(admin);
  await addUser(admin, username, password);
  await openUser(admin, username);
  const userId = new URL(admin.url()).pathname.split("/").pop()!;

  // Impersonate, change the user's country in My Account, stop.
  const [tab] = await Promise.all([
    admin.context().waitForEvent("page"),
    admin.getByRole("button", { name: "Impersonate User" }).click(),
  ]);
  await tab.waitForLoadState();
  await hydrated(tab);
  await expect(tab.locator(".impersonation-banner")).toContainText(`You are impersonating ${username}`);
  // The user's own record is not the impersonator's to read.
  await expect(tab.getByRole("link", { name: "Account activity" })).toHaveCount(0);
  await tab.goto("/myaccount/activity");
  await hydrated(tab);
  await expect(tab.getByRole("alert")).toContainText("While impersonating, you cannot see the user's account activity.");
  await tab.goto("/myaccount");
  await hydrated(tab);
  await tab.getByLabel("Country").fill("Sweden");
  await tab.getByRole("button", { name: "Update" }).click();
  await expect(tab.getByText("Your profile was updated.")).toBeVisible();
  await tab.locator(".impersonation-banner").getByRole("button", { name: "Stop impersonating" }).click();
  await expect(tab).toHaveURL(new RegExp(`/console/users/${userId}$`));
  await tab.close();

  // Console > Logs: the change, in the user's name, with the impersonator.
  await admin.goto("/console");
  await hydrated(admin);
  await openMenu(admin, "Logs");
  await expect(admin.getByRole("heading", { level: 1, name: "Logs" })).toBeVisible();
  // Found by the username, as people know the user.
  await admin.getByLabel("Target").fill(username);
  await admin.getByLabel("Impersonated only").check();
  await admin.getByRole("button", { name: "Search" }).click();
  // The change made in the user's name, between the impersonation's own start and stop.
  await expect(admin.locator("table.logs tbody tr:not(.log-line)")).toHaveCount(3);
  const rows = admin.locator("table.logs tbody tr.impersonated");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Set-User-Claim-Values");
  // Names, not ids: the target is the user, the initiator the user too (in whose name the change
  // was made), the impersonator the administrator; one time format with its zone.
  await expect(rows.first().locator("td").nth(3)).toHaveText(`${username}user`);
  await expect(rows.first().locator("td").nth(4)).toHaveText(`${ADMIN}user`);
  await expect(rows.first().locator("td").first()).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  await expect(rows.first()).not.toContainText(userId);
  const changeLine = rows.first().locator("xpath=following-sibling::tr[1]");
  const line = changeLine.locator("pre");
  await changeLine.locator("summary").click();
  // The ids, on demand.
  await expect(changeLine.locator("dl.log-ids")).toContainText(`Target id${userId}`);
  await expect(line).toContainText(/^TID: \[-1234\] \[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] \[[^\]]+\]  INFO \{AUDIT_LOG\} - Initiator=/);
  await expect(line).toContainText("S****n");
  await expect(line).toContainText(/\| Impersonator : \S+$/);

  // The session's own events, by action.
  await admin.getByLabel("Impersonated only").uncheck();
  await admin.getByLabel("Action").selectOption("Impersonation-Started");
  await admin.getByRole("button", { name: "Search" }).click();
  await expect(admin.locator("table.logs tbody tr:not(.log-line)")).toHaveCount(1);
  await admin.getByLabel("Action").selectOption("Impersonation-Stopped");
  await admin.getByRole("button", { name: "Search" }).click();
  await expect(admin.locator("table.logs tbody tr:not(.log-line)")).toHaveCount(1);

  // A time range that ends before everything: nothing; a backwards one: a field error.
  await admin.getByLabel("Until (UTC)").fill("2000-01-01 00:00");
  await admin.getByRole("button", { name: "Search" }).click();
  await expect(admin.getByText("No events match.")).toBeVisible();
  await admin.getByLabel("From (UTC)").fill("2001-01-01 00:00");
  await admin.getByRole("button", { name: "Search" }).click();
  await expect(admin.getByText("Must be after the start of the range.")).toBeVisible();
  await admin.getByLabel("From (UTC)").fill("");
  await admin.getByLabel("Until (UTC)").fill("");

  // Export of the filtered view: JSON lines, only the filtered action.
  await admin.getByLabel("Action").selectOption("Set-User-Claim-Values");
  await admin.getByLabel("Target").fill(userId);
  await admin.getByRole("button", { name: "Search" }).click();
  const href = await admin.getByRole("link", { name: "Export" }).getAttribute("href");
  expect(href).toContain("action=Set-User-Claim-Values");
  const exported = await admin.request.get(href!);
  expect(exported.status()).toBe(200);
  const events = (await exported.text()).trim().split("\n").map((l) => JSON.parse(l));
  expect(events.length).toBe(1);
  expect(events[0].action).toBe("Set-User-Claim-Values");
  expect(events[0].target).toBe(userId);
  expect(events[0].impersonator).toBeTruthy();

  // The audit log file has the same line (the projection runs every second).
  await expect
    .poll(() => readFileSync(auditLogPath, "utf8").split("\n").filter((l) => l.includes(`Action=Set-User-Claim-Values Target=${userId}`)))
    .toEqual([expect.stringMatching(/^TID: \[-1234\] \[.+\]  INFO \{AUDIT_LOG\} - Initiator=.+ \| Impersonator : \S+$/)]);

  // Verify integrity.
  await admin.getByRole("button", { name: "Verify integrity" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "The audit trail is intact" })).toBeVisible();

  // The user, signed in as themself, sees who acted on their behalf and what changed.
  const user = await (await browser.newContext()).newPage();
  await signIn(user, username, password);
  await user.getByRole("link", { name: "Account activity" }).click();
  await hydrated(user);
  await expect(user.getByRole("heading", { level: 1, name: "Account activity" })).toBeVisible();
  const card = user.locator(".account-impersonation");
  await expect(card).toHaveCount(1);
  await expect(card).toContainText(`Impersonated by ${ADMIN}`);
  await expect(card).toContainText("Stopped by the impersonator");
  await expect(card).toContainText("Set-User-Claim-Values");
});

test("the Logs export needs the Console", async ({ browser }) => {
  const username = unique("jon");
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await enableMyAccount(admin);
  await addUser(admin, username, "jon-password-1");
  const user = await (await browser.newContext()).newPage();
  await signIn(user, username, "jon-password-1");
  const refused = await user.request.get("/console/logs/export", { maxRedirects: 0 });
  expect(refused.status()).toBe(403);
  const anonymous = await (await browser.newContext()).request.get("/console/logs/export", { maxRedirects: 0 });
  expect(anonymous.status()).toBe(303);
});

test("sign-ins, successful or not, are in the Logs without their passwords", async ({ browser }) => {
  const username = unique("sig");
  const password = "sig-password-1";
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await addUser(admin, username, password);
  await openUser(admin, username);
  const userId = new URL(admin.url()).pathname.split("/").pop()!;

  // A wrong password, then the right one.
  const user = await (await browser.newContext()).newPage();
  await user.goto("/myaccount");
  await user.getByLabel("Username").fill(username);
  await user.getByLabel("Password").fill("not-the-password-1");
  await user.getByRole("button", { name: "Sign in" }).click();
  await expect(user).toHaveURL(/error=invalid_credentials/);
  await signIn(user, username, password);

  await admin.goto("/console");
  await hydrated(admin);
  await openMenu(admin, "Logs");
  await admin.getByLabel("Action").selectOption("Sign-In");
  await admin.getByLabel("Target").fill(userId);
  await admin.getByRole("button", { name: "Search" }).click();
  const rows = admin.locator("table.logs tbody tr:not(.log-line)");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Success");
  await admin.locator("table.logs tr.log-line summary").first().click();
  const line = admin.locator("table.logs tr.log-line pre").first();
  await expect(line).toContainText("My Account");
  await expect(line).not.toContainText(password);

  // The failure names the masked name typed, and why.
  const masked = `${username[0]}${"*".repeat(username.length - 2)}${username[username.length - 1]}`;
  await admin.getByLabel("Target").fill(masked);
  await admin.getByRole("button", { name: "Search" }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Failure");
  await admin.locator("table.logs tr.log-line summary").first().click();
  await expect(line).toContainText("invalid_credentials");
  await expect(line).not.toContainText("not-the-password-1");
});
