// The cluster's fault test (run by scripts/cluster-check.sh): a mixed load through the load balancer
// while one node is killed with SIGKILL, then the other stopped with SIGTERM (each started again by
// cluster.sh), and, later, PostgreSQL is stopped for a few seconds and started again, and the mail
// server is taken away for a few seconds. Every operation the server acknowledged is recorded;
// afterwards each acknowledged write is read back: SCIM users, Console role assignments, refresh
// families (live token works, rotated token refused), one email per impersonation. Fails (exit 1) when an acknowledged write is
// missing, when a request fails outside the fault windows, or when the outage is not answered fast
// with 503 and Retry-After. Prints the counts.
//
// Environment: GUISE_URL (the balancer), CLIENT_ID, CLIENT_SECRET, ADMIN_PASSWORD, NODE_URLS (the
// nodes, comma-separated), KILL_NODE (a shell command killing one node), TERM_NODE and
// TERM_OTHER_NODE (stopping the other, then the first, gracefully), PG_STOP and PG_START, SMTP_DOWN and
// SMTP_UP (shell commands), CHAOS_SECONDS (default 30), MAIL_API
// (MailDev's web API, where the nodes deliver), PSQL and PG_PORT (to read the outbox).
import { execFileSync, execSync } from "node:child_process";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const base = env("GUISE_URL");
const clientId = env("CLIENT_ID");
const clientSecret = env("CLIENT_SECRET");
const adminPassword = env("ADMIN_PASSWORD");
const nodeURLs = env("NODE_URLS").split(",");
const seconds = Number(process.env.CHAOS_SECONDS ?? 30);

const REDIRECT = "https://chaos.example/cb";
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const SCOPE = "openid internal_user_mgt_create internal_user_mgt_view internal_user_mgt_list";
const basic = "Basic " + Buffer.from(`${clientId}:${clientSecret}`).toString("base64");
const started = Date.now();
const now = () => (Date.now() - started) / 1000;

/** Every request: what, when, and whether it was acknowledged. */
const requests = [];
/** Writes the server acknowledged, to be read back. */
const createdUsers = [];
const faults = {};
let running = true;

class Refused extends Error {}

async function call(op, url, init = {}) {
  const at = now();
  let response;
  try {
    response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(15_000), ...init });
  } catch (e) {
    requests.push({ op, at, ok: false, status: 0, error: String(e.cause?.code ?? e.name) });
    throw new Refused(`${op}: ${e.cause?.code ?? e}`);
  }
  const ok = response.status < 400;
  requests.push({ op, at, ok, status: response.status, ms: (now() - at) * 1000 });
  if (!ok) throw new Refused(`${op}: ${response.status} ${await response.text()}`);
  return response;
}

const form = (fields) => new URLSearchParams(fields).toString();
const sameOrigin = { Origin: base, "Sec-Fetch-Site": "same-origin" };

/** The administrator's session cookie, from a password sign-in. */
async function signIn() {
  const r = await call("sign-in", `${base}/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...sameOrigin },
    body: form({ username: "admin", password: adminPassword }),
  });
  const cookie = (r.headers.getSetCookie() ?? []).map((c) => c.split(";")[0]).find((c) => c.startsWith("guise_session="));
  if (!cookie || (r.headers.get("location") ?? "").startsWith("/login")) throw new Refused("sign-in: no session");
  return cookie;
}

/** An authorization request in the session of `cookie`, consenting when asked: the redirect. */
async function authorize(op, cookie, query) {
  const r = await call(op, `${base}/oauth2/authorize?${query}`, { headers: { Cookie: cookie } });
  if (r.status !== 200) return r;
  return call("consent", `${base}/oauth2/consent`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, ...sameOrigin },
    body: `${query}&decision=allow`,
  });
}

/** A code flow for the administrator: authorize (consenting when asked), then redeem the code. */
async function codeFlow(cookie) {
  const query = form({
    response_type: "code", client_id: clientId, redirect_uri: REDIRECT, scope: SCOPE, state: "s",
    nonce: "n", code_challenge: CHALLENGE, code_challenge_method: "S256",
  });
  const r = await authorize("authorize", cookie, query);
  const code = new URL(r.headers.get("location") ?? "", base).searchParams.get("code");
  if (!code) throw new Refused(`authorize: no code (${r.headers.get("location")})`);
  return token("code", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: VERIFIER });
}

async function token(op, fields) {
  const r = await call(op, `${base}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: basic },
    body: form(fields),
  });
  return r.json();
}

let userCount = 0;
async function createUser(accessToken) {
  const userName = `chaos-${process.pid}-${++userCount}`;
  const r = await call("scim-create", `${base}/scim2/Users`, {
    method: "POST",
    headers: { "Content-Type": "application/scim+json", Authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName,
      name: { givenName: "Chaos", familyName: "Monkey" },
      emails: [{ value: `${userName}@example.com` }],
    }),
  });
  const created = await r.json();
  createdUsers.push({ id: created.id, userName });
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Users whose impersonation the server acknowledged: each is owed exactly one email. */
const impersonated = [];

/** The Console's Impersonate User on the user just created, then Stop. */
async function impersonateAndStop(cookie) {
  const user = createdUsers[createdUsers.length - 1];
  const started = await call("impersonate", `${base}/auth/impersonation/start`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, ...sameOrigin },
    body: form({ user_id: user.id }),
  });
  if (started.headers.get("location") !== "/myaccount") throw new Refused("impersonate: refused");
  impersonated.push(user);
  await call("stop-impersonating", `${base}/auth/impersonation/stop`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, ...sameOrigin },
    body: "",
  });
}

/**
 * Refresh-token families: the token the client holds now, and those it rotated away. A family
 * with a refresh the server did not acknowledge is uncertain (the rotation may have been committed
 * and its answer lost with the node): the client cannot know its token, so it is not checked.
 */
const families = [];

/**
 * Console writes: each session makes an organization role and, as it goes, sets its Assigned
 * Users (the Users tab's Update) to the users it has created. `expected` is the last set the
 * server acknowledged; after a set it did not acknowledge the role is uncertain until the next
 * acknowledged one.
 */
const roles = [];

/** A Console server function, as the Console's own page calls it (JSON in, JSON out). */
async function consoleCall(op, cookie, endpoint, body) {
  const r = await call(op, `${base}/api/${endpoint}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", Cookie: cookie, ...sameOrigin },
    body: JSON.stringify(body),
  });
  return r.json();
}

async function assignRoleUsers(cookie, role, usernames) {
  try {
    await consoleCall("role-assign", cookie, "set_role_users", { id: role.id, usernames });
  } catch (e) {
    role.uncertain = true;
    throw e;
  }
  role.expected = [...usernames];
  role.uncertain = false;
}

/**
 * Users whose family name an impersonator changed through the API (subject token, token
 * exchange, then PATCH /scim2/Me as the user): the last value the server acknowledged for each.
 */
const renamed = new Map();

/**
 * Impersonation through the business application, as the guide's API flow does it: a session of
 * its own (one impersonated user per session), the subject token for the user, the exchange for an
 * access token that acts as them, and a change to their profile with it.
 */
async function impersonateThroughTheApi(user) {
  const cookie = await signIn();
  const query = form({
    response_type: "id_token subject_token", client_id: clientId, redirect_uri: REDIRECT,
    scope: "openid internal_user_impersonate internal_login", state: "s", nonce: "n", requested_subject: user.id,
  });
  const r = await authorize("subject-token", cookie, query);
  const fragment = new URLSearchParams(new URL(r.headers.get("location") ?? "", base).hash.slice(1));
  const subjectToken = fragment.get("subject_token");
  const actorToken = fragment.get("id_token");
  if (!subjectToken || !actorToken) throw new Refused(`subject-token: none (${r.headers.get("location")})`);
  const exchanged = await token("token-exchange", {
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: subjectToken, subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
    actor_token: actorToken, actor_token_type: "urn:ietf:params:oauth:token-type:id_token",
  });
  const familyName = `Renamed${Math.random().toString(36).slice(2, 8)}`;
  try {
    await call("impersonated-patch", `${base}/scim2/Me`, {
      method: "PATCH",
      headers: { "Content-Type": "application/scim+json", Authorization: `Bearer ${exchanged.access_token}` },
      body: JSON.stringify({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", path: "name.familyName", value: familyName }],
      }),
    });
  } catch (e) {
    // Not acknowledged: the change may or may not be there; this user is not checked.
    renamed.set(user.id, null);
    throw e;
  }
  renamed.set(user.id, familyName);
}

/** A user's session: sign in, code flow, then SCIM writes and reads, refreshing as it goes. */
async function userWorker() {
  while (running) {
    try {
      const cookie = await signIn();
      let tokens = await codeFlow(cookie);
      const family = { live: tokens.refresh_token, rotated: [], uncertain: false };
      families.push(family);
      // Opening the Console signs the session into it (its portal grant), as a browser's first
      // visit does; its server functions answer only then.
      await call("console-open", `${base}/console`, { headers: { Cookie: cookie } });
      const roleName = `Chaos role ${process.pid}-${roles.length + 1}-${Math.random().toString(36).slice(2, 8)}`;
      const role = { id: await consoleCall("role-create", cookie, "create_role", { name: roleName, application: null, permissions: [] }), expected: [], uncertain: false };
      roles.push(role);
      const members = [];
      for (let i = 0; running && i < 20; i++) {
        await createUser(tokens.access_token);
        if (i % 5 === 4) await impersonateAndStop(cookie);
        if (i % 7 === 3) await impersonateThroughTheApi(createdUsers[createdUsers.length - 1]);
        if (i % 4 === 1) {
          members.push(createdUsers[createdUsers.length - 1].userName);
          await assignRoleUsers(cookie, role, members);
        }
        await call("scim-list", `${base}/scim2/Users?count=3`, {
          headers: { Authorization: `Bearer ${tokens.access_token}` },
        });
        if (i % 3 === 2) {
          try {
            tokens = await token("refresh", { grant_type: "refresh_token", refresh_token: tokens.refresh_token });
          } catch (e) {
            family.uncertain = true;
            throw e;
          }
          family.rotated.push(family.live);
          family.live = tokens.refresh_token;
        }
      }
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      await pause(100);
    }
  }
}

/**
 * The application on its own behalf: client credentials, then the token introspected, as the API
 * it calls would (whichever node answers, the token is active).
 */
async function serviceWorker() {
  while (running) {
    try {
      const service = await token("client-credentials", { grant_type: "client_credentials" });
      const r = await call("introspect", `${base}/oauth2/introspect`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: basic },
        body: form({ token: service.access_token }),
      });
      if ((await r.json()).active !== true) throw new Error("a client-credentials token just issued is not active");
      await pause(20);
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      await pause(100);
    }
  }
}

/** Pages and discovery, as browsers and applications read them. */
async function readerWorker() {
  while (running) {
    try {
      await call("discovery", `${base}/.well-known/openid-configuration`);
      await call("jwks", `${base}/oauth2/jwks`);
      await call("login-page", `${base}/login`);
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      await pause(100);
    }
  }
}

/** How the outage is answered: 503, fast, with Retry-After, and JSON at the token endpoint. */
async function probeOutage() {
  const tokenAt = async (url) => {
    const at = Date.now();
    const r = await fetch(`${url}/oauth2/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: basic },
      body: form({ grant_type: "refresh_token", refresh_token: "x" }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = await r.json().catch(() => ({}));
    return { status: r.status, retryAfter: r.headers.get("retry-after"), error: body.error, ms: Date.now() - at };
  };
  // A node itself (its pool gives up on the database), then the balancer (which may already
  // have taken every node out and answers for them).
  const node = await tokenAt(nodeURLs[0]);
  const balancer = await tokenAt(base);
  const readiness = await Promise.all(
    nodeURLs.map((u) => fetch(`${u}/health/ready`, { signal: AbortSignal.timeout(15_000) }).then((x) => x.status, () => 0)),
  );
  return { node, balancer, readiness };
}

function shell(command) {
  execSync(command, { stdio: "inherit", shell: "/bin/bash" });
}

/** Waits until `fraction` of the run has passed. */
const until = (fraction) => pause(Math.max(0, seconds * 1000 * fraction - (Date.now() - started)));

/**
 * The faults, apart enough that each one's failures (and each restart) are over before the next:
 * a node killed; the other stopped gracefully (it drains for 3 s, then is started again); the
 * database stopped and started; the mail server taken away and back (no request fails: the
 * outbox retries); the first node stopped gracefully too (the rolling restart's second step).
 */
async function faultSchedule() {
  await until(0.15);
  faults.killAt = now();
  shell(env("KILL_NODE"));
  await until(0.32);
  faults.termAt = now();
  shell(env("TERM_NODE"));
  await until(0.55);
  faults.pgStopAt = now();
  shell(env("PG_STOP"));
  faults.pgStoppedAt = now();
  await pause(1000);
  faults.outage = await probeOutage();
  await pause(2000);
  faults.pgStartAt = now();
  shell(env("PG_START"));
  faults.pgStartedAt = now();
  await until(0.7);
  faults.smtpDownAt = now();
  shell(env("SMTP_DOWN"));
  await until(0.8);
  shell(env("SMTP_UP"));
  faults.smtpUpAt = now();
  await until(0.88);
  faults.secondTermAt = now();
  shell(env("TERM_OTHER_NODE"));
}

/**
 * Application > Protocol > Enable subject token response type, then Update, as an administrator
 * does it in the Console (the command line that made the application has no such option).
 */
async function enableSubjectTokens() {
  const cookie = await signIn();
  await call("console-open", `${base}/console`, { headers: { Cookie: cookie } });
  const found = await consoleCall("console-read", cookie, "list_applications", { search: "Chaos", page: 0 });
  const app = found.items.find((a) => a.client_id === clientId);
  if (!app) throw new Error("the chaos application is not in the Console's list");
  const detail = await consoleCall("console-read", cookie, "get_application", { id: app.id });
  await consoleCall("console-write", cookie, "update_application_protocol", {
    id: app.id,
    form: { ...detail.protocol, subject_token_enabled: true },
  });
}

// CHAOS_FAULTS=none: the same load without faults, for throughput figures.
const withFaults = process.env.CHAOS_FAULTS !== "none";
await enableSubjectTokens();
const workers = [userWorker(), userWorker(), userWorker(), readerWorker(), serviceWorker()];
if (withFaults) await faultSchedule();
await pause(Math.max(0, seconds * 1000 - (Date.now() - started)));
running = false;
await Promise.all(workers);

/** Runs one query on the cluster's database; its rows, one string each. */
function sql(query) {
  const out = execFileSync(env("PSQL"), ["-h", "127.0.0.1", "-p", env("PG_PORT"), "-U", "postgres", "-d", "guise", "-tA", "-c", query]);
  return out.toString().trim().split("\n").filter((line) => line !== "");
}

/** Impersonation emails waiting for another attempt, not held by a lease. */
function dueAgain() {
  return Number(
    sql(
      "SELECT count(*) FROM outbox WHERE status = 'pending' AND kind = 'ImpersonationEmailNotification' " +
        "AND (lease_until IS NULL OR lease_until <= EXTRACT(EPOCH FROM now()))",
    )[0],
  );
}

// Read back every acknowledged write, with a fresh session (every node is back by now).
const problems = [];
const tokens = await codeFlow(await signIn());
let missing = 0;
for (const user of createdUsers) {
  const r = await fetch(`${base}/scim2/Users/${user.id}`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
  const body = r.status === 200 ? await r.json() : {};
  if (body.userName !== user.userName) missing++;
}
if (missing) problems.push(`${missing} of ${createdUsers.length} acknowledged users are missing`);
// Every change made through an API impersonation is there, and audited with its impersonator.
let renamesChecked = 0;
for (const [id, familyName] of renamed) {
  if (familyName === null) continue;
  const r = await fetch(`${base}/scim2/Users/${id}`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
  const body = r.status === 200 ? await r.json() : {};
  if (body.name?.familyName !== familyName) problems.push(`user ${id}'s family name is ${body.name?.familyName}, the acknowledged change set ${familyName}`);
  renamesChecked++;
}
const auditedRenames = Number(
  sql(
    "SELECT count(DISTINCT target) FROM audit_events WHERE impersonator IS NOT NULL AND action = 'Set-User-Claim-Values'",
  )[0],
);
if (auditedRenames < renamesChecked) problems.push(`${renamesChecked} users were changed by an impersonator, ${auditedRenames} such changes are audited`);

// Every role's Assigned Users are the last set the server acknowledged.
const consoleCookie = await signIn();
await call("console-open", `${base}/console`, { headers: { Cookie: consoleCookie } });
let rolesChecked = 0;
for (const role of roles.filter((r) => !r.uncertain)) {
  const detail = await consoleCall("role-read", consoleCookie, "get_role", { id: role.id }).catch(() => null);
  const members = (detail?.members ?? []).map((m) => m.username).sort();
  if (!detail || JSON.stringify(members) !== JSON.stringify([...role.expected].sort())) {
    problems.push(`role ${role.id} has ${JSON.stringify(members)} assigned, the last acknowledged update set ${JSON.stringify(role.expected)}`);
  }
  rolesChecked++;
}
// Every acknowledged impersonation start is owed exactly one email to its user. A duplicate can
// only be the documented window (a node killed between the mail server's acceptance and the
// record), and then carries the same Message-ID.
const mailAPI = process.env.MAIL_API;
let emailed = 0;
let resent = 0;
let held = 0;
if (mailAPI) {
  const owed = new Set(impersonated.map((u) => `${u.userName}@example.com`));
  // Until every owed email is there, or none has come for 3 s (the nodes look at the outbox
  // every second), at most 30 s.
  let mails = [];
  let quietSince = Date.now();
  for (let waited = 0; waited < 30_000; waited += 500) {
    const now = (await (await fetch(`${mailAPI}/api/email`)).json()).filter((m) => m.subject === "User Impersonation Session Started");
    if (now.length !== mails.length) quietSince = Date.now();
    mails = now;
    if ([...owed].every((a) => mails.some((m) => m.to.some((t) => t.address === a)))) break;
    // Quiet, and no message waiting for a retry (one that failed in the SMTP outage is tried
    // again 10 s later); a message leased by a stopped node is counted below.
    if (Date.now() - quietSince > 3000 && dueAgain() === 0) break;
    await pause(500);
  }
  for (const address of owed) {
    const to = mails.filter((m) => m.to.some((t) => t.address === address));
    const ids = new Set(to.map((m) => m.messageId ?? m.headers?.["message-id"] ?? m.id));
    if (to.length === 0) {
      // A message a killed (or stopped) node had claimed waits for that claim's lease to run out
      // (two minutes): late, never twice. Anything else missing is lost.
      const state = sql(
        "SELECT status || '|' || CASE WHEN lease_until > EXTRACT(EPOCH FROM now()) THEN 'leased' ELSE 'free' END " +
          `|| '|' || kind || '|' || attempts || '|' || COALESCE(last_error, '') || '|' || COALESCE(sent_at - created_at, -1) FROM outbox WHERE recipient = '${address}' AND kind = 'ImpersonationEmailNotification'`,
      );
      const all = (await (await fetch(`${mailAPI}/api/email`)).json()).filter((m) => m.to.some((t) => t.address === address));
      if (state.length === 1 && state[0].startsWith("pending|leased|")) held++;
      else problems.push(`no impersonation email reached ${address} (outbox: ${state.join(" / ") || "no message"}; MailDev has: ${JSON.stringify(all.map((m) => m.subject))})`);
    }
    else if (ids.size > 1) problems.push(`${address} got ${ids.size} different impersonation emails`);
    else emailed++;
    if (to.length > 1) resent++;
  }
}
// The SMTP outage must have delayed some message, or it proved nothing: a message whose attempt
// failed then is sent on a later one.
const retried = mailAPI && withFaults
  ? Number(sql("SELECT count(*) FROM outbox WHERE kind = 'ImpersonationEmailNotification' AND status = 'sent' AND attempts > 1")[0])
  : 0;
if (mailAPI && withFaults && retried === 0) problems.push("no impersonation email was delayed by the SMTP outage: it tested nothing");

// Refresh families through the faults: each family whose every refresh was acknowledged still
// refreshes with the token its client holds, and a token it rotated away is refused (and, being
// a replay, ends the family: its newest token is refused too).
const checked = families.filter((f) => !f.uncertain && f.rotated.length > 0).slice(0, 10);
const refresh = async (refreshToken) => {
  const r = await fetch(`${base}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: basic },
    body: form({ grant_type: "refresh_token", refresh_token: refreshToken }),
  });
  const body = await r.json().catch(() => ({}));
  return { status: r.status, error: body.error, refreshToken: body.refresh_token };
};
for (const family of checked) {
  const live = await refresh(family.live);
  if (live.status !== 200) {
    problems.push(`a refresh family lost its live token: ${JSON.stringify(live)}`);
    continue;
  }
  const replay = await refresh(family.rotated[family.rotated.length - 1]);
  if (replay.status !== 400 || replay.error !== "invalid_grant") problems.push(`a rotated refresh token was accepted again: ${JSON.stringify(replay)}`);
  const afterReplay = await refresh(live.refreshToken);
  if (afterReplay.status !== 400) problems.push(`a replayed family still refreshes: ${JSON.stringify(afterReplay)}`);
}
if (withFaults && checked.length === 0) problems.push("no refresh family went through the faults with every refresh acknowledged");

const ready = await Promise.all(nodeURLs.map((u) => fetch(`${u}/health/ready`).then((x) => x.status, () => 0)));
if (ready.some((s) => s !== 200)) problems.push(`nodes not ready again: ${ready}`);

const percentile = (list, p) => {
  const sorted = list.map((r) => r.ms).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
};
const answered = requests.filter((r) => r.ok);
console.log(
  `[load] ${(answered.length / seconds).toFixed(0)} acknowledged requests/s; latency p50 ${percentile(answered, 50).toFixed(1)} ms, ` +
    `p99 ${percentile(answered, 99).toFixed(1)} ms (writes: sign-in, code, refresh, scim-create p99 ` +
    `${percentile(answered.filter((r) => ["sign-in", "code", "refresh", "scim-create"].includes(r.op)), 99).toFixed(1)} ms)`,
);
if (!withFaults) {
  if (problems.length || requests.length !== answered.length) {
    console.error(`[load] FAILED: ${requests.length - answered.length} failed requests; ${problems.join("; ")}`);
    process.exit(1);
  }
  process.exit(0);
}

// Failures are allowed only in the fault windows: the killed node's in-flight requests (until the
// balancer has taken it out), and the database's outage (until the pool has reconnected).
// A graceful stop has no window: the balancer sends nothing more to a node that refuses
// connections, and the node finishes what it had accepted.
const killWindow = [faults.killAt - 0.5, faults.killAt + 5];
const outageWindow = [faults.pgStopAt - 0.5, faults.pgStartedAt + 5];
const within = (t, [from, to]) => t >= from && t <= to;
const failed = requests.filter((r) => !r.ok);
const inKill = failed.filter((r) => within(r.at, killWindow));
const inOutage = failed.filter((r) => !within(r.at, killWindow) && within(r.at, outageWindow));
const outside = failed.filter((r) => !within(r.at, killWindow) && !within(r.at, outageWindow));
if (outside.length) {
  problems.push(`${outside.length} requests failed outside the fault windows: ${JSON.stringify(outside.slice(0, 5))}`);
}
const outage = faults.outage;
for (const [who, answer] of [["a node", outage.node], ["the balancer", outage.balancer]]) {
  if (answer.status !== 503 || answer.retryAfter === null || answer.error !== "temporarily_unavailable" || answer.ms > 1500) {
    problems.push(`${who} answered the outage ${JSON.stringify(answer)}; expected 503, Retry-After, temporarily_unavailable, within 1.5 s`);
  }
}
if (outage.readiness.some((s) => s !== 503)) problems.push(`readiness during the outage: ${outage.readiness}`);

const span = (list) => (list.length ? `${list[0].at.toFixed(1)}–${list[list.length - 1].at.toFixed(1)} s` : "none");
const byOp = {};
for (const r of requests) {
  const o = (byOp[r.op] ??= { sent: 0, acknowledged: 0 });
  o.sent++;
  if (r.ok) o.acknowledged++;
}
console.log(`[chaos] ${requests.length} requests in ${seconds} s, ${requests.length - failed.length} acknowledged`);
for (const [op, o] of Object.entries(byOp)) console.log(`[chaos]   ${op}: ${o.acknowledged}/${o.sent}`);
console.log(`[chaos] kill -9 at ${faults.killAt.toFixed(1)} s: ${inKill.length} failed (${span(inKill)})`);
console.log(
  `[chaos] SIGTERM at ${faults.termAt.toFixed(1)} s and ${faults.secondTermAt.toFixed(1)} s (a rolling restart of both nodes): no failure allowed`,
);
console.log(
  `[chaos] PostgreSQL down ${faults.pgStopAt.toFixed(1)}–${faults.pgStartedAt.toFixed(1)} s: ${inOutage.length} failed (${span(inOutage)}); ` +
    `token endpoint: a node answered ${outage.node.status} ${outage.node.error} in ${outage.node.ms} ms, ` +
    `the balancer ${outage.balancer.status} ${outage.balancer.error} in ${outage.balancer.ms} ms (Retry-After: ${outage.balancer.retryAfter}); ` +
    `readiness ${outage.readiness}`,
);
console.log(`[chaos] ${createdUsers.length} acknowledged SCIM users, ${createdUsers.length - missing} read back`);
console.log(
  `[chaos] ${renamesChecked} users changed through API impersonations (subject token, token exchange, PATCH /scim2/Me), ` +
    `each read back, ${auditedRenames} audited with their impersonator`,
);
console.log(
  `[chaos] ${roles.length} roles made in the Console; ${rolesChecked} with every assignment acknowledged read back as last set ` +
    `(${roles.reduce((n, r) => n + r.expected.length, 0)} assigned users)`,
);
console.log(
  `[chaos] ${checked.length} refresh families checked (of ${families.length}): each refreshed with its live token, ` +
    "refused a rotated one, and was ended by that replay",
);
if (mailAPI) {
  console.log(
    `[chaos] ${impersonated.length} acknowledged impersonations, ${emailed} emailed exactly once` +
      (held ? `, ${held} waiting for the lease of a node that stopped holding it` : "") +
      (resent ? ` (${resent} sent again with the same Message-ID: a node killed between send and record)` : ""),
  );
  console.log(
    `[chaos] SMTP down ${faults.smtpDownAt.toFixed(1)}–${faults.smtpUpAt.toFixed(1)} s: ${retried} impersonation emails failed then and were sent on a later attempt`,
  );
}
if (problems.length) {
  for (const p of problems) console.error(`[chaos] FAILED: ${p}`);
  process.exit(1);
}
console.log("[chaos] passed");
