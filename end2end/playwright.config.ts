import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// A real server on a fresh SQLite file for every run, on a port of its own, so a stale server
// on 3000 can never be the one under test.
const port = Number(process.env.GUISE_E2E_PORT ?? 3210);
const dataDir = mkdtempSync(join(tmpdir(), "guise-e2e-"));
export const baseURL = `http://127.0.0.1:${port}`;
export const adminPassword = "e2e-admin-password";

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: "../target/debug/server",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: "../target/site",
      LEPTOS_OUTPUT_NAME: "guise",
      LEPTOS_SITE_PKG_DIR: "pkg",
      DATABASE_URL: `sqlite://${dataDir}/guise.db?mode=rwc`,
      GUISE_ADMIN_PASSWORD: adminPassword,
      RUST_LOG: "warn",
    },
  },
});
