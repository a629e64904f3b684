import { expect, Page, test } from "@playwright/test";
import { ADMIN, ADMIN_PASSWORD, addUser, enableMyAccount, hydrated, signIn, unique } from "./helpers";

// What a first visit costs over the wire, as served (compressed, as Chromium asks for it): the
// page's HTML and every CSS, JS and WASM file the browser fetches until the page is interactive.
// Server-function answers (the page's data) are not counted.
const CONSOLE_BUDGET = 450 * 1024;
// The Console's heaviest page, an application's (its six tabs are one route, so one set of
// chunks), is at about 517 KiB against the same 450 KB target; this ceiling keeps it from growing.
const APPLICATION_PAGE_CEILING = 540 * 1024;
// My Account has a bundle of its own (frontend/my-account): its routes only (README, "Performance").
const MY_ACCOUNT_BUDGET = 250 * 1024;

type Transfer = { url: string; bytes: number; encoding: string; cacheControl: string };

/** Loads `path` in a cold cache and returns what its first load transferred, hydrated. */
async function firstLoad(page: Page, path: string): Promise<Transfer[]> {
  const transfers: Promise<Transfer | null>[] = [];
  const counts = (url: URL, type: string) =>
    type === "document" || url.pathname.startsWith("/pkg/") || type === "stylesheet" || type === "script";
  page.on("requestfinished", (request) => {
    const url = new URL(request.url());
    if (!counts(url, request.resourceType())) return;
    transfers.push(
      (async () => {
        const response = await request.response();
        if (!response) return null;
        const sizes = await request.sizes();
        const encoding = (await response.headerValue("content-encoding")) ?? "identity";
        const cacheControl = (await response.headerValue("cache-control")) ?? "";
        return { url: url.pathname, bytes: sizes.responseBodySize, encoding, cacheControl };
      })(),
    );
  });
  await page.goto(path);
  await hydrated(page);
  // Chunks of the page that load right after hydration (none expected, but they would count).
  await page.waitForLoadState("networkidle");
  return (await Promise.all(transfers)).filter((t): t is Transfer => t !== null);
}

function report(name: string, transfers: Transfer[], budget: number) {
  const total = transfers.reduce((sum, t) => sum + t.bytes, 0);
  const wasm = transfers.filter((t) => t.url.endsWith(".wasm"));
  console.log(
    `[size] ${name}: ${total} B over the wire (budget ${budget} B, ${((100 * total) / budget).toFixed(0)} %): ` +
      `${transfers.length} files, ${wasm.length} of them WASM (${wasm.reduce((s, t) => s + t.bytes, 0)} B)`,
  );
  for (const t of [...transfers].sort((a, b) => b.bytes - a.bytes).slice(0, 5)) {
    console.log(`[size]   ${t.bytes} B ${t.encoding} ${t.url}`);
  }
  // Nothing large goes out uncompressed.
  for (const t of transfers.filter((t) => t.bytes > 1024)) {
    expect(t.encoding, `${t.url} is sent without compression`).not.toBe("identity");
  }
  // Every built file is named after its content and kept for good; the page itself never is.
  for (const t of transfers.filter((t) => t.url.startsWith("/pkg/"))) {
    expect(t.url, "a built file without its content hash").toMatch(/\.[A-Za-z0-9_-]{22}\.(wasm|js|css)$/);
    expect(t.cacheControl, t.url).toBe("public, max-age=31536000, immutable");
  }
  for (const t of transfers.filter((t) => !t.url.startsWith("/pkg/"))) {
    expect(t.cacheControl, t.url).toBe("no-store");
  }
  return total;
}

test("first loads of the Console and of My Account stay within their size budgets, compressed and cached for good", async ({ browser }) => {
  const username = unique("siz");
  const password = "siz-password-1";
  const setup = await (await browser.newContext()).newPage();
  await signIn(setup, ADMIN, ADMIN_PASSWORD, "/console");
  await enableMyAccount(setup);
  await addUser(setup, username, password);

  // A signed-in administrator opens the Console with an empty cache.
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, ADMIN_PASSWORD, "/console");
  await hydrated(admin);
  const adminCold = await (await browser.newContext({ storageState: await admin.context().storageState() })).newPage();
  const consoleTotal = report("Console (/console/users)", await firstLoad(adminCold, "/console/users"), CONSOLE_BUDGET);
  await adminCold.goto("/console/applications");
  await hydrated(adminCold);
  const first = await adminCold.locator("main a[href^='/console/applications/']").filter({ hasNotText: "New" }).first().getAttribute("href");
  const applicationCold = await (await browser.newContext({ storageState: await admin.context().storageState() })).newPage();
  const applicationPath = `${first}?tab=protocol`;
  const applicationTotal = report(`Console, an application (${applicationPath})`, await firstLoad(applicationCold, applicationPath), APPLICATION_PAGE_CEILING);

  // A user opens My Account with an empty cache.
  const user = await (await browser.newContext()).newPage();
  await signIn(user, username, password);
  await hydrated(user);
  const userCold = await (await browser.newContext({ storageState: await user.context().storageState() })).newPage();
  const myAccountLoad = await firstLoad(userCold, "/myaccount");
  const myAccountTotal = report("My Account (/myaccount)", myAccountLoad, MY_ACCOUNT_BUDGET);
  // My Account's own bundle, not the site's (nor the split's chunks or loader).
  expect(myAccountLoad.filter((t) => t.url.endsWith(".wasm")).map((t) => t.url)).toEqual([expect.stringMatching(/^\/pkg\/myaccount\./)]);

  expect(consoleTotal, "the Console's first load is over its budget").toBeLessThanOrEqual(CONSOLE_BUDGET);
  expect(applicationTotal, "an application page's first load has grown").toBeLessThanOrEqual(APPLICATION_PAGE_CEILING);
  expect(myAccountTotal, "My Account's first load is over its budget").toBeLessThanOrEqual(MY_ACCOUNT_BUDGET);
});
