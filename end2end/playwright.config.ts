import { defineConfig } from "@playwright/test";
import { chromiumLaunchOptions } from "./chromium";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

// A real server on a fresh SQLite file for every run, on a port of its own, so a stale server
// on 3000 can never be the one under test.
const port = Number(process.env.GUISE_E2E_PORT ?? 3210);
export const baseURL = `http://127.0.0.1:${port}`;
export const adminPassword = "e2e-admin-password";

// The runner picks the database once and hands it to its workers through the environment: every
// worker evaluates this file again, and tests that run server commands (`create-application`) must
// reach the very database the web server uses.
const databaseURL: string = (process.env.GUISE_E2E_DATABASE_URL ??=
  `sqlite://${mkdtempSync(join(tmpdir(), "guise-e2e-"))}/guise.db?mode=rwc`);

/** The server's audit log file, beside nothing else of the repository's. */
export const auditLogPath: string = (process.env.GUISE_E2E_AUDIT_LOG ??= join(
  mkdtempSync(join(tmpdir(), "guise-e2e-audit-")),
  "audit.log",
));

/**
 * The server under test: the release build, which is what `scripts/run.sh` serves. A developer
 * iterating on a debug build (`cargo leptos build`) sets GUISE_E2E_PROFILE=debug.
 */
export const serverBinary = resolve(__dirname, "..", "target", process.env.GUISE_E2E_PROFILE ?? "release", "server");

/**
 * The sample business application (`server/examples/sample_app`), always the debug build:
 * `cargo test -p server` builds it (examples are built with the tests), and `scripts/test.sh`
 * checks that it is there before this suite runs.
 */
export const sampleAppBinary = resolve(__dirname, "..", "target", "debug", "examples", "sample_app");

/**
 * MailDev, a real SMTP server the suite starts: Guise delivers its outbox to it, and tests read
 * what arrived through its REST API (`GET /api/email`).
 */
const mailSmtpPort = Number(process.env.GUISE_E2E_SMTP_PORT ?? 3225);
const mailWebPort = Number(process.env.GUISE_E2E_MAIL_WEB_PORT ?? 3226);
export const mailAPI = `http://127.0.0.1:${mailWebPort}`;
const maildev = resolve(__dirname, "..", "scripts", "node-tools", "node_modules", ".bin", "maildev");

/** The environment of the server under test, for the web server and for server commands alike. */
export const serverEnv: Record<string, string> = {
  LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
  LEPTOS_SITE_ROOT: "../target/site",
  LEPTOS_OUTPUT_NAME: "guise",
  LEPTOS_SITE_PKG_DIR: "pkg",
  DATABASE_URL: databaseURL,
  GUISE_AUDIT_LOG: auditLogPath,
  GUISE_ADMIN_PASSWORD: adminPassword,
  GUISE_SMTP_URL: `smtp://127.0.0.1:${mailSmtpPort}`,
  GUISE_SMTP_FROM: "Guise <no-reply@guise.test>",
  RUST_LOG: "warn",
};

/** Specs that change what every other test sees: turning My Account off for the whole server. */
const WHOLE_SERVER = /impersonation-console\.spec\.ts$/;
/** The root's guardrails (a required reason, the kill switch) reach every impersonation: last, alone. */
const GUARDRAILS = /guardrails\.spec\.ts$/;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  // Two spec files at a time (the machine has two cores; the tests of one file run in order). Every
  // test works on users, applications and organizations it creates, so they can share the server;
  // the few that switch something for the whole server run alone, afterwards ("whole-server").
  fullyParallel: false,
  workers: 2,
  projects: [
    { name: "shared", testIgnore: [WHOLE_SERVER, GUARDRAILS] },
    { name: "whole-server", testMatch: WHOLE_SERVER, dependencies: ["shared"] },
    { name: "guardrails", testMatch: GUARDRAILS, dependencies: ["whole-server"] },
  ],
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: chromiumLaunchOptions,
  },
  webServer: [
    {
      command: `${maildev} --ip 127.0.0.1 --smtp ${mailSmtpPort} --web-ip 127.0.0.1 --web ${mailWebPort} --silent`,
      url: `${mailAPI}/api/healthz`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: serverBinary,
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "pipe",
      stderr: "pipe",
      env: serverEnv,
    },
  ],
});
