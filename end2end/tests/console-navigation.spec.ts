import { expect, Page, test } from "@playwright/test";
import { ADMIN, ADMIN_PASSWORD, hydrated, signIn } from "./helpers";

// The Console's navigation is grouped as the guide and its product group it, marks the page one is
// on, and its primary buttons are readable (WCAG AA contrast).

const GROUPS: [string, string[]][] = [
  ["User Management", ["Users", "Roles"]],
  ["Organization Management", ["Organizations"]],
  ["Applications & API Resources", ["Applications", "API Resources"]],
  ["Login & Registration", ["Organization settings"]],
  ["Branding", ["Email Templates", "Email Outbox"]],
  ["Administration", ["Console Settings", "Logs"]],
];

/** The contrast ratio of two `rgb(…)` colours (WCAG 2.x). */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number).map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

async function colours(page: Page, selector: string) {
  return page.locator(selector).first().evaluate((el) => {
    const style = getComputedStyle(el);
    return { fg: style.color, bg: style.backgroundColor };
  });
}

test("the Console's menus are grouped, the current page is marked, primary buttons are readable", async ({ page }) => {
  await signIn(page, ADMIN, ADMIN_PASSWORD, "/console/users");
  await hydrated(page);
  const nav = page.getByRole("navigation", { name: "Console" });
  for (const [group, links] of GROUPS) {
    const section = nav.locator(".nav-section").filter({ has: page.locator(".nav-group").getByText(group, { exact: true }) });
    await expect(section).toHaveCount(1);
    for (const link of links) {
      await expect(section.getByRole("link", { name: link, exact: true })).toBeVisible();
    }
  }
  // Nothing hangs outside a group.
  await expect(nav.getByRole("link")).toHaveCount(GROUPS.flatMap(([, links]) => links).length);

  // The page one is on, and only it, is marked.
  await expect(nav.getByRole("link", { name: "Users", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
  await nav.getByRole("link", { name: "Logs", exact: true }).click();
  await hydrated(page);
  await expect(nav.getByRole("link", { name: "Logs", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Users", exact: true })).not.toHaveAttribute("aria-current", "page");

  // A primary button's text on its background: at least 4.5:1.
  await page.goto("/console/users");
  await hydrated(page);
  const { fg, bg } = await colours(page, "a.primary, button.primary");
  expect(contrast(fg, bg)).toBeGreaterThanOrEqual(4.5);
});
