import { expect, test } from "@playwright/test";
import { hydrated, signIn } from "../tests/helpers";

// The README's first command, proven: the server scripts/run.sh started answers discovery, serves the
// Console, and its bootstrap administrator signs in to a hydrated Console.
test("the server scripts/run.sh started serves the Console, and the administrator signs in", async ({ page, request, baseURL }) => {
  const discovery = await request.get("/.well-known/openid-configuration");
  expect(discovery.ok()).toBe(true);
  expect((await discovery.json()).issuer).toBe(`${baseURL}/oauth2/token`);

  const password = process.env.GUISE_RUN_CHECK_PASSWORD ?? "";
  await signIn(page, "admin", password, "/console");
  await expect(page).toHaveURL(/\/console\/users$/);
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  // The release WASM bundle loads and hydrates (a broken wasm-opt or bundle fails here).
  await hydrated(page);
  await page.getByLabel("Search users").fill("admin");
  await expect(page.getByRole("row", { name: /admin/ })).toBeVisible();
});
