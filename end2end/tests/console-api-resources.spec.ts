import { expect, test } from "@playwright/test";
import {
  ADMIN,
  ADMIN_PASSWORD,
  addAdministrator,
  addUser,
  hydrated,
  newOrganization,
  openMenu,
  organizationRow,
  signIn,
  switchToOrganization,
  unique,
} from "./helpers";

test("a business API resource is registered with its scopes, edited and deleted", async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await hydrated(admin);

  // System API resources are listed and read-only.
  await openMenu(admin, "API Resources");
  const system = admin.getByRole("row", { name: /^User Impersonation/ });
  await expect(system).toContainText("system:impersonation");
  await expect(system).toContainText("System");

  // Register one; a reserved scope name is a field error and the typed values stay.
  const name = unique("Orders ");
  const identifier = `https://${unique("orders")}.example`;
  await admin.getByRole("link", { name: "New API Resource" }).click();
  await hydrated(admin);
  await admin.getByLabel("Identifier").fill(identifier);
  await admin.getByLabel("Name", { exact: true }).fill(name);
  await admin.getByRole("button", { name: "Add Scope" }).click();
  await admin.getByLabel("Scope name 1", { exact: true }).fill("internal_orders");
  await admin.getByRole("button", { name: "Create" }).click();
  await expect(admin.locator("#field-scopes-error")).toContainText("reserved for Guise");
  await expect(admin.getByLabel("Identifier")).toHaveValue(identifier);
  await admin.getByLabel("Scope name 1", { exact: true }).fill("orders:read");
  await admin.getByLabel("Display name 1", { exact: true }).fill("Read orders");
  await admin.getByRole("button", { name: "Add Scope" }).click();
  await admin.getByLabel("Scope name 2", { exact: true }).fill("orders:write");
  await admin.getByRole("button", { name: "Create" }).click();
  await expect(admin.getByText("The API resource was registered.")).toBeVisible();
  await expect(admin.getByRole("heading", { name })).toBeVisible();

  // The same identifier again is refused next to the field.
  await admin.goto("/console/api-resources/new");
  await hydrated(admin);
  await admin.getByLabel("Identifier").fill(identifier);
  await admin.getByLabel("Name", { exact: true }).fill(unique("Other "));
  await admin.getByRole("button", { name: "Create" }).click();
  await expect(admin.locator("#field-identifier-error")).toHaveText("An API resource with this identifier already exists.");

  // Edit: drop a scope, save, and see what is stored.
  await openMenu(admin, "API Resources");
  await admin.getByLabel("Search API resources").fill(name);
  await admin.getByRole("link", { name }).click();
  await hydrated(admin);
  await admin.getByRole("button", { name: "Remove scope 2" }).click();
  await admin.getByRole("button", { name: "Update" }).click();
  await expect(admin.getByText("Saved.", { exact: true })).toBeVisible();
  await admin.reload();
  await hydrated(admin);
  await expect(admin.getByLabel("Scope name 1", { exact: true })).toHaveValue("orders:read");
  await expect(admin.getByLabel("Scope name 2", { exact: true })).toHaveCount(0);

  // Delete asks first; Cancel keeps it, Delete removes it.
  await admin.getByRole("button", { name: "Delete API Resource" }).click();
  const confirm = admin.getByRole("alertdialog", { name: "Delete this API resource?" });
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  await admin.getByRole("button", { name: "Delete API Resource" }).click();
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(admin).toHaveURL(/\/console\/api-resources$/);
  await hydrated(admin);
  await admin.getByLabel("Search API resources").fill(name);
  await expect(admin.getByText("No API resources match.")).toBeVisible();
});

test("the last administrator cannot be removed", async ({ browser }) => {
  test.setTimeout(60_000);
  // Each organization has administrators of its own, and the root's are the ones other tests add
  // (and sign in as): the test works in an organization it creates, where it knows every one.
  const tag = unique("");
  const orgName = `Admins org ${tag}`;
  const first = unique("ana");
  const second = unique("ben");
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await hydrated(admin);
  await openMenu(admin, "Organizations");
  await newOrganization(admin, orgName, `admins-${tag}`.toLowerCase());
  await expect(organizationRow(admin, orgName)).toHaveCount(1);
  await switchToOrganization(admin, orgName);
  await addUser(admin, first, "ana-password-1");
  await addUser(admin, second, "ben-password-1");
  await addAdministrator(admin, first);
  await addAdministrator(admin, second);
  await admin.getByLabel("Search administrators").fill("");

  // Two administrators, and only they: one of them may be removed.
  const removeButtons = admin.getByRole("button", { name: /^Remove / });
  await expect(admin.getByRole("row", { name: new RegExp(`^${first}\\b`) })).toBeVisible();
  await expect(admin.getByRole("row", { name: new RegExp(`^${second}\\b`) })).toBeVisible();
  await expect(removeButtons).toHaveCount(2);
  await admin.getByRole("button", { name: `Remove ${second}`, exact: true }).click();
  await admin.getByRole("alertdialog", { name: "Remove this administrator?" }).getByRole("button", { name: "Remove" }).click();
  await expect(admin.getByText("The administrator was removed.")).toBeVisible();
  await expect(admin.getByRole("row", { name: new RegExp(`^${first}\\b`) })).toBeVisible();
  await expect(admin.getByRole("button", { name: `Remove ${second}`, exact: true })).toHaveCount(0);
  await expect(removeButtons).toHaveCount(1);

  // The last one may not.
  await admin.getByRole("button", { name: `Remove ${first}`, exact: true }).click();
  await admin.getByRole("alertdialog", { name: "Remove this administrator?" }).getByRole("button", { name: "Remove" }).click();
  await expect(admin.getByRole("alert")).toContainText("last active administrator");
  await expect(admin.getByRole("row", { name: new RegExp(`^${first}\\b`) })).toBeVisible();
});
