import AxeBuilder from "@axe-core/playwright";
import { expect, Page, test } from "@playwright/test";
import { ADMIN, ADMIN_PASSWORD, hydrated, newOrganization, openMenu, signIn, unique } from "./helpers";

// Every Console and My Account page loaded directly (a full page load, never a client-side
// navigation) must hydrate without a panic: the server's render and the browser's first render
// must agree. The server side of the same pages is covered by server/tests/http/pages_render.rs.
// Each page, once hydrated, is also checked for accessibility (axe-core, WCAG 2.0/2.1 A and AA:
// no serious or critical violation) and at a phone's width (390 px: nothing wider than the screen),
// in the same visit so that the suite loads every page once.

/** The pages without parameters, as the app's router lists them. */
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

const APPLICATION_TABS = ["general", "protocol", "api-authorization", "roles", "shared-access", "advanced"];

/** Where each list page links to its items: the first few of each are opened too. */
const DETAILS: Record<string, RegExp> = {
  "/console/users": /^\/console\/users\/[0-9a-f-]{36}$/,
  "/console/roles": /^\/console\/roles\/[0-9a-f-]{36}$/,
  "/console/applications": /^\/console\/applications\/(?!new$)[^/?]+$/,
  "/console/api-resources": /^\/console\/api-resources\/(?!new$)[^/?]+$/,
  "/console/organizations": /^\/console\/organizations\/[^/?]+$/,
  "/console/email-templates": /^\/console\/email-templates\/[^/?]+$/,
  "/console/email-outbox": /^\/console\/email-outbox\/[^/?]+$/,
};

/** Loads `path` directly and waits for hydration; returns what went wrong in the browser. */
async function loadDirectly(page: Page, path: string): Promise<string[]> {
  const problems: string[] = [];
  const onError = (e: Error) => problems.push(`${path}: page error: ${e.message}`);
  const onConsole = (m: { type(): string; text(): string }) => {
    if (m.type() === "error" && /panicked|unreachable|hydrat/i.test(m.text())) {
      problems.push(`${path}: console: ${m.text()}`);
    }
  };
  page.on("pageerror", onError);
  page.on("console", onConsole);
  const requests = inFlight(page);
  try {
    const response = await page.goto(path);
    expect(response?.status(), path).toBeLessThan(400);
    await hydrated(page);
    // Effects and resources settle after hydration; a panic there shows up just after (and is
    // still caught while the checks below run).
    await requests.settled();
    problems.push(...(await seriousViolations(page, path)));
    problems.push(...(await overflowsAtPhoneWidth(page, path)));
    if (process.env.GUISE_SCREENSHOTS) await screenshots(page, process.env.GUISE_SCREENSHOTS, path);
  } finally {
    requests.stop();
    page.off("pageerror", onError);
    page.off("console", onConsole);
  }
  return problems;
}

/**
 * The page's requests in flight. `settled()` resolves once none has been for 150 ms: as long as the
 * page's own fetches take, where Playwright's "networkidle" always waits 500 ms more, on every one
 * of the fifty-odd loads of this test.
 */
function inFlight(page: Page) {
  let pending = 0;
  let changed = Date.now();
  const started = () => {
    pending++;
    changed = Date.now();
  };
  const ended = () => {
    pending = Math.max(0, pending - 1);
    changed = Date.now();
  };
  page.on("request", started);
  page.on("requestfinished", ended);
  page.on("requestfailed", ended);
  return {
    async settled(quietMs = 150) {
      const deadline = Date.now() + 10_000;
      while (pending > 0 || Date.now() - changed < quietMs) {
        if (Date.now() > deadline) throw new Error(`${pending} requests still in flight after 10 s`);
        await page.waitForTimeout(25);
      }
    },
    stop() {
      page.off("request", started);
      page.off("requestfinished", ended);
      page.off("requestfailed", ended);
    },
  };
}

/** axe-core's serious and critical WCAG 2 A/AA violations on the page as it is now. */
async function seriousViolations(page: Page, path: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${path}: axe ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

/** Whether the page, laid out 390 px wide (a phone), is wider than the screen. */
async function overflowsAtPhoneWidth(page: Page, path: string): Promise<string[]> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    return scroll > client ? [`${path}: ${scroll} px wide on a ${client} px screen`] : [];
  } finally {
    if (size) await page.setViewportSize(size);
  }
}

/**
 * With GUISE_SCREENSHOTS=<directory>, the page as a person sees it on a laptop (1366 px) and on a
 * phone (390 px), full length, for looking at every page by eye; the suite itself takes none.
 */
async function screenshots(page: Page, directory: string, path: string) {
  const size = page.viewportSize();
  const name = path.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "root";
  try {
    for (const width of [1366, 390]) {
      await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
      await page.screenshot({ path: `${directory}/${name}-${width}.png`, fullPage: true });
    }
  } finally {
    if (size) await page.setViewportSize(size);
  }
}

async function detailLinks(page: Page, list: string): Promise<string[]> {
  const hrefs = await page.locator("main a[href]").evaluateAll((links) =>
    links.map((a) => a.getAttribute("href") ?? ""),
  );
  return [...new Set(hrefs.filter((h) => DETAILS[list].test(h)))].slice(0, 3);
}

test("every page and every tab hydrates without a panic when loaded directly, is accessible and fits a phone", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, ADMIN, ADMIN_PASSWORD, "/console");
  await hydrated(page);
  // A long name and handle make the organization table wider than a phone: it must scroll in
  // place, never the page. (Whether a list got that wide used to depend on the tests run before.)
  await openMenu(page, "Organizations");
  await newOrganization(page, unique("An organization whose name is rather long "), unique("an-organization-with-a-long-handle-"));
  await expect(page.getByText("The organization was created.")).toBeVisible();

  const problems: string[] = [];
  const visited: string[] = [];
  const applications: string[] = [];
  for (const path of PAGES) {
    problems.push(...(await loadDirectly(page, path)));
    visited.push(path);
    if (!(path in DETAILS)) continue;
    const details = await detailLinks(page, path);
    expect(details.length, `no item linked from ${path}`).toBeGreaterThan(0);
    for (const detail of details) {
      problems.push(...(await loadDirectly(page, detail)));
      visited.push(detail);
      if (path === "/console/applications") applications.push(detail);
    }
  }
  for (const application of applications) {
    for (const tab of APPLICATION_TABS) {
      const path = `${application}?tab=${tab}`;
      problems.push(...(await loadDirectly(page, path)));
      visited.push(path);
    }
  }
  // The sign-in page, signed out.
  await page.context().clearCookies();
  await page.goto("/login");
  await hydrated(page);
  if (process.env.GUISE_SCREENSHOTS) await screenshots(page, process.env.GUISE_SCREENSHOTS, "/login");
  problems.push(...(await seriousViolations(page, "/login")));
  problems.push(...(await overflowsAtPhoneWidth(page, "/login")));
  expect(problems, `loaded: ${visited.join(", ")}`).toEqual([]);
});
