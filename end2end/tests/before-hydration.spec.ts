import { expect, test } from "@playwright/test";
import { ADMIN, ADMIN_PASSWORD, hydrated, signIn } from "./helpers";

// A page is usable as soon as the server has rendered it, but a form that calls a server function
// needs the WASM. Submitted before the WASM has loaded, such a form is held (never posted to the
// page's own URL, which answered "HTTP ERROR 405" and lost what was typed), and says it is waiting.

test("a form submitted before hydration keeps what was typed and says it is waiting", async ({ page }) => {
  await signIn(page, ADMIN, ADMIN_PASSWORD, "/console");
  await hydrated(page);

  // The WASM never arrives: the page stays as the server rendered it.
  await page.route(/\.wasm(\?.*)?$/, (route) => route.abort());
  const failed: number[] = [];
  page.on("response", (r) => {
    if (r.request().method() === "POST" && r.status() >= 400) failed.push(r.status());
  });
  await page.goto("/console/users/new");
  await expect(page.locator("html[data-hydrated]")).toHaveCount(0);
  await page.getByLabel("Username").fill("typed-before-hydration");
  await page.getByLabel("Email").fill("typed@example.com");
  await page.getByLabel("Password").fill("typed-password-1");
  await page.getByRole("button", { name: "Add User" }).click();

  const form = page.locator("form[data-waiting]");
  await expect(form).toHaveCount(1);
  await expect(form).toHaveAttribute("aria-busy", "true");
  await expect(page).toHaveURL(/\/console\/users\/new$/);
  await expect(page.getByLabel("Username")).toHaveValue("typed-before-hydration");
  await expect(page.getByLabel("Email")).toHaveValue("typed@example.com");
  await expect(page.getByLabel("Password")).toHaveValue("typed-password-1");
  // Enter in a field is a submit too: held the same way.
  await page.getByLabel("Email").press("Enter");
  await expect(page).toHaveURL(/\/console\/users\/new$/);
  expect(failed).toEqual([]);

  // Once the WASM loads, the same form works.
  await page.unroute(/\.wasm(\?.*)?$/);
  await page.reload();
  await hydrated(page);
  await expect(page.locator("form[data-waiting]")).toHaveCount(0);
});

test("a plain form (Sign out) works before hydration", async ({ page }) => {
  await signIn(page, ADMIN, ADMIN_PASSWORD, "/myaccount");
  await hydrated(page);
  await page.route(/\.wasm(\?.*)?$/, (route) => route.abort());
  await page.goto("/myaccount");
  await expect(page.locator("html[data-hydrated]")).toHaveCount(0);
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).not.toHaveURL(/\/myaccount$/);
});
