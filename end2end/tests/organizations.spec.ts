import { expect, Page, test } from "@playwright/test";
import { ADMIN, ADMIN_PASSWORD, addUser, hydrated, newOrganization, openMenu, organizationRow, signIn, unique } from "./helpers";

// Organization Management > Organizations, and the guide's "Impersonate users in an organization",
// Step 1: Share My Account with the required organization (Applications > My Account > Shared
// Access > Share with only selected organizations > Update).

async function openOrganization(page: Page, name: string) {
  await openMenu(page, "Organizations");
  await page.getByRole("link", { name, exact: true }).click();
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

test("an administrator builds an organization tree, invites a user, shares My Account and cleans up", async ({ browser }) => {
  test.setTimeout(90_000);
  const tag = unique("");
  const child = `Child ${tag}`;
  const grandchild = `Grandchild ${tag}`;
  const member = unique("member");
  const page = await (await browser.newContext()).newPage();
  await signIn(page, ADMIN, ADMIN_PASSWORD, "/console");
  await addUser(page, member, "member-password-1");

  // A child below the administrator's own organization, and a grandchild below it.
  await openMenu(page, "Organizations");
  await newOrganization(page, child, `child-${tag}`);
  await expect(page.getByText("The organization was created.")).toBeVisible();
  await newOrganization(page, grandchild, `grandchild-${tag}`, `— ${child}`);
  await expect(organizationRow(page, grandchild)).toBeVisible();
  // The next New Organization starts under the administrator's own organization again, not under
  // the parent chosen last time.
  await page.getByRole("button", { name: "New Organization" }).click();
  const next = page.getByRole("region", { name: "New Organization" });
  await expect(next.getByLabel("Parent organization")).toHaveValue("");
  await next.getByRole("button", { name: "Cancel" }).click();

  // The tree: the grandchild comes right after its parent, one level further in.
  const names = await page.locator("table.organization-tree tbody td:first-child").allInnerTexts();
  const at = names.indexOf(child);
  expect(at).toBeGreaterThan(0);
  expect(names[at + 1]).toBe(grandchild);
  await expect(organizationRow(page, child)).toHaveAttribute("data-depth", "1");
  await expect(organizationRow(page, grandchild)).toHaveAttribute("data-depth", "2");
  await expect(organizationRow(page, grandchild)).toContainText(`grandchild-${tag}`);
  await expect(organizationRow(page, grandchild)).toContainText("Active");

  // A handle already taken: the error stands next to the Handle field.
  await newOrganization(page, "Another", `child-${tag}`);
  const form = page.getByRole("region", { name: "New Organization" });
  await expect(form.getByText("Another organization has this handle.")).toBeVisible();
  await expect(form.getByLabel("Handle")).toHaveAttribute("aria-invalid", "true");
  await form.getByRole("button", { name: "Cancel" }).click();

  // Rename the child (Update).
  await openOrganization(page, child);
  const renamed = `${child} renamed`;
  await page.getByLabel("Name", { exact: true }).fill(renamed);
  await page.getByRole("button", { name: "Update" }).click();
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: renamed })).toBeVisible();

  // Invite Parent User: an unknown username is a field error; a user of the root organization joins.
  const invite = page.getByRole("region", { name: "Invite Parent User" });
  await invite.getByLabel("Username").fill(`nobody-${tag}`);
  await invite.getByRole("button", { name: "Invite Parent User" }).click();
  await expect(invite.getByText("No user of your organization has this username.")).toBeVisible();
  await invite.getByLabel("Username").fill(member);
  await invite.getByRole("button", { name: "Invite Parent User" }).click();
  await expect(invite.getByText(`${member} was invited.`)).toBeVisible();

  // Step 1: Applications > My Account > Shared Access > Share with only selected organizations.
  await openMenu(page, "Applications");
  await page.getByRole("main").getByRole("link", { name: "My Account", exact: true }).click();
  await hydrated(page);
  await page.getByRole("tab", { name: "Shared Access", exact: true }).click();
  // My Account's sharing is the root's, one for the whole server, and other tests share it too: the
  // test starts it from "Do not share" itself, and checks that this is what is stored, so that what
  // it sees after its own Update can only come from that Update.
  await page.getByLabel("Do not share").check();
  await updateAndReloadSharedAccess(page);
  await expect(page.getByLabel("Do not share")).toBeChecked();
  await expect(page.getByLabel("Share with only selected organizations")).not.toBeChecked();
  await page.getByLabel("Share with only selected organizations").check();
  await expect(page.getByLabel(renamed, { exact: true })).not.toBeChecked();
  await page.getByLabel(renamed, { exact: true }).check();
  await updateAndReloadSharedAccess(page);
  await expect(page.getByLabel("Share with only selected organizations")).toBeChecked();
  await expect(page.getByLabel(renamed, { exact: true })).toBeChecked();
  await expect(page.getByLabel(grandchild, { exact: true })).not.toBeChecked();

  // Deactivate the grandchild, then delete it (after confirming).
  await openOrganization(page, grandchild);
  await page.getByRole("button", { name: "Deactivate" }).click();
  await expect(page.getByRole("button", { name: "Activate" })).toBeVisible();
  await expect(page.getByText("Inactive", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const confirm = page.getByRole("alertdialog", { name: "Delete this organization?" });
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/console\/organizations\?deleted=1$/);
  await expect(page.getByText("The organization was deleted.")).toBeVisible();
  // The tree has loaded (its parent is listed) before the grandchild's absence means anything.
  await expect(organizationRow(page, renamed)).toBeVisible();
  await expect(organizationRow(page, grandchild)).toHaveCount(0);

  // The child still has a member: Delete is refused, and says why.
  await openOrganization(page, renamed);
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await page.getByRole("alertdialog", { name: "Delete this organization?" }).getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("alert")).toContainText("Only an empty organization can be deleted");
  await expect(page.getByRole("heading", { level: 1, name: renamed })).toBeVisible();
});

test("Switch opens the Console in a child organization, and Switch back returns", async ({ browser }) => {
  const tag = unique("");
  const name = `Branch ${tag}`;
  const username = unique("branchuser");
  const page = await (await browser.newContext()).newPage();
  await signIn(page, ADMIN, ADMIN_PASSWORD, "/console");
  await hydrated(page);
  await openMenu(page, "Organizations");
  await newOrganization(page, name, `branch-${tag}`.toLowerCase());
  await expect(organizationRow(page, name)).toHaveCount(1);

  await organizationRow(page, name).getByRole("button", { name: `Switch to ${name}` }).click();
  await expect(page).toHaveURL(/\/console/);
  await hydrated(page);
  const banner = page.locator(".switched-banner");
  await expect(banner).toContainText(`You are managing the organization ${name}`);
  // A user added here is the child organization's.
  await addUser(page, username, "branch-password-1");
  await openMenu(page, "Users");
  await page.getByLabel("Search users").fill(username);
  await expect(page.getByRole("link", { name: username, exact: true })).toBeVisible();
  await page.getByLabel("Search users").fill(ADMIN);
  await expect(page.getByText("No users match.")).toBeVisible();

  await banner.getByRole("button", { name: "Switch back" }).click();
  await expect(page.locator(".switched-banner")).toHaveCount(0);
  await hydrated(page);
  await openMenu(page, "Users");
  await page.getByLabel("Search users").fill(username);
  await expect(page.getByText("No users match.")).toBeVisible();
});

/** Shared Access > Update, then the tab loaded afresh from its URL: what shows is what is stored. */
async function updateAndReloadSharedAccess(page: Page) {
  await page.getByRole("button", { name: "Update" }).click();
  await expect(page.getByText("Saved.", { exact: true })).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole("tab", { name: "Shared Access", exact: true })).toHaveAttribute("aria-selected", "true");
}
