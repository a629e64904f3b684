import { expect, Page, test } from "@playwright/test";
import { ADMIN, ADMIN_PASSWORD, addUser, hydrated, pickAssignee, signIn, unique } from "./helpers";
import { serverCommand } from "./oidc-helpers";

// An organization role applies to every application, the Console included: a Console scope in one
// makes its users administrators. An administrator whose Console role lacks the administrators'
// scopes can neither create such a role nor assign one; whoever such a role does make an
// administrator is listed under Console Settings > Administrators.

const USER_LIST = "internal_user_mgt_list";

/** New Role with the Organization audience and one scope of SCIM2 Users; clicks Create. */
async function createOrganizationRole(page: Page, name: string) {
  await page.goto("/console/roles/new");
  await hydrated(page);
  await page.getByLabel("Role Name").fill(name);
  await page.getByLabel("Organization", { exact: true }).check();
  await page.getByLabel("API Resource").selectOption({ label: "SCIM2 Users" });
  await page.locator(`#scope-${USER_LIST}`).check();
  await page.getByRole("button", { name: "Create" }).click();
}

test("an administrator without the administrators' scopes cannot make hidden administrators", async ({ browser }) => {
  test.setTimeout(90_000);
  const manager = unique("rolemgr");
  const olga = unique("olga");
  const password = "hidden-admin-password-1";
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await addUser(admin, manager, password);
  await addUser(admin, olga, password);
  // The manager's Console role manages roles and lists users, but may not add administrators.
  serverCommand([
    "create-role",
    "--name",
    unique("Role managers "),
    "--audience-application",
    "CONSOLE",
    ...["internal_role_mgt_view", "internal_role_mgt_create", "internal_role_mgt_update", USER_LIST, "internal_user_mgt_view"]
      .flatMap((s) => ["--permission", s]),
    "--assign",
    manager,
  ]);

  // Creating an organization role with a Console scope is refused next to the permissions.
  const limited = await (await browser.newContext()).newPage();
  await signIn(limited, manager, password, "/console");
  await hydrated(limited);
  const hidden = unique("Hidden admins ");
  await createOrganizationRole(limited, hidden);
  await expect(limited.locator("#field-permissions-error")).toContainText("Console administrators");
  await expect(limited).toHaveURL(/\/console\/roles\/new/);

  // The full administrator may create one; the manager still may not assign it.
  const visible = unique("Org user viewers ");
  await createOrganizationRole(admin, visible);
  await expect(admin).toHaveURL(/\/console\/roles\/[0-9a-f-]{36}/);
  await hydrated(admin);
  const rolePage = new URL(admin.url()).pathname;
  await limited.goto(rolePage);
  await hydrated(limited);
  await pickAssignee(limited, olga);
  await expect(limited.getByRole("alert")).toContainText("You do not have permission");
  await limited.reload();
  await hydrated(limited);
  await limited.getByRole("tab", { name: "Users" }).click();
  // The tab shows the stored assignments (none) before Olga's absence is read from it.
  await expect(limited.getByText("No one is assigned this role.", { exact: true })).toBeVisible();
  await expect(limited.getByRole("cell", { name: olga, exact: true })).toHaveCount(0);

  // When the full administrator assigns it, Olga is an administrator the Administrators tab shows.
  await pickAssignee(admin, olga);
  await expect(admin.getByText("Saved.", { exact: true })).toBeVisible();
  await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Console Settings", exact: true }).click();
  await hydrated(admin);
  await admin.getByLabel("Search administrators").fill(olga);
  const row = admin.getByRole("row", { name: new RegExp(`^${olga}\\b`) });
  await expect(row).toBeVisible();
  await expect(row).toContainText(visible);
});
