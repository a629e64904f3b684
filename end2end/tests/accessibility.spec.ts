import AxeBuilder from "@axe-core/playwright";
import { expect, Page, test } from "@playwright/test";
import { ADMIN, ADMIN_PASSWORD, hydrated, signIn } from "./helpers";

// Every Console and My Account page: axe-core finds no serious or critical WCAG 2 A/AA violation,
// and at a phone's width (390 px) no page is wider than the screen.

const PAGES = [
  "/console/users",
  "/console/users/new",
  "/console/roles",
  "/console/roles/new",
  "/console/applications",
  "/console/applications/new",
  "/console/api-resources",
  "/console/api-resources/new",
  "/console/organizations",
  "/console/settings",
  "/console/logs",
  "/console/login-and-registration",
  "/console/login-and-registration/impersonation",
  "/console/email-templates",
  "/console/email-outbox",
  "/myaccount",
  "/myaccount/activity",
];

/** The first item each list links to, so that the detail pages are checked too. */
const DETAILS: Record<string, RegExp> = {
  "/console/users": /^\/console\/users\/[0-9a-f-]{36}$/,
  "/console/roles": /^\/console\/roles\/[0-9a-f-]{36}$/,
  "/console/applications": /^\/console\/applications\/[^/?]+$/,
  "/console/api-resources": /^\/console\/api-resources\/[^/?]+$/,
  "/console/organizations": /^\/console\/organizations\/[^/?]+$/,
  "/console/email-templates": /^\/console\/email-templates\/[^/?]+$/,
};

async function everyPage(page: Page): Promise<string[]> {
  const pages = [...PAGES];
  for (const list of Object.keys(DETAILS)) {
    await page.goto(list);
    await hydrated(page);
    await page.waitForLoadState("networkidle");
    const hrefs = await page.locator("main a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    const first = hrefs.find((h) => DETAILS[list].test(h));
    if (first) pages.push(first);
  }
  return pages;
}

async function seriousViolations(page: Page, path: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${path}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

test("no page has a serious or critical accessibility violation", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, ADMIN, ADMIN_PASSWORD, "/console");
  await hydrated(page);
  const problems: string[] = [];
  for (const path of await everyPage(page)) {
    await page.goto(path);
    await hydrated(page);
    await page.waitForLoadState("networkidle");
    problems.push(...(await seriousViolations(page, path)));
  }
  // The sign-in page, signed out.
  await page.context().clearCookies();
  await page.goto("/login");
  problems.push(...(await seriousViolations(page, "/login")));
  expect(problems).toEqual([]);
});

test("at 390 px no page overflows sideways", async ({ browser }) => {
  test.setTimeout(240_000);
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signIn(page, ADMIN, ADMIN_PASSWORD, "/console");
  await hydrated(page);
  const wide: string[] = [];
  for (const path of await everyPage(page)) {
    await page.goto(path);
    await hydrated(page);
    await page.waitForLoadState("networkidle");
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    if (scroll > client) wide.push(`${path}: ${scroll} px wide on a ${client} px screen`);
  }
  expect(wide).toEqual([]);
});
