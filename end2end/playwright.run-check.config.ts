import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./chromium";

// Drives a Guise that `scripts/run.sh` started (scripts/run-check.sh starts it and passes its address):
// no web server of Playwright's own, so what is tested is exactly what the README's run command serves.
const baseURL = process.env.GUISE_RUN_CHECK_URL;
if (!baseURL) {
  throw new Error("GUISE_RUN_CHECK_URL is not set: run scripts/run-check.sh");
}

export default defineConfig({
  testDir: "./run-check",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    launchOptions: chromiumLaunchOptions,
  },
});
