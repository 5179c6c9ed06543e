import { expect, request, type APIRequestContext } from "@playwright/test";
import { BOOTSTRAP_TOKEN, CONSOLE_URL, USER_PASSWORD, type Role } from "./env";

// Arranging test data through the console's own API with the bootstrap admin token, so each test
// makes the users it needs instead of sharing mutable ones.

export async function adminApi(): Promise<APIRequestContext> {
  return request.newContext({ baseURL: CONSOLE_URL, extraHTTPHeaders: { authorization: `Bearer ${BOOTSTRAP_TOKEN}` } });
}

let counter = 0;
/** A name unique to this test run and worker, for rows the tests create. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${process.env.TEST_WORKER_INDEX ?? "0"}${counter}`;
}

export interface CreatedUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  password: string;
}

/** The password an admin gives a new person; they must change it at their first sign-in. */
export const INITIAL_PASSWORD = "e2e-initial-password-1";

/**
 * Creates a person through the admin API. An admin-set password must be changed at the first
 * sign-in, so by default this signs in once and changes it to USER_PASSWORD (through the API), as
 * the person would; `mustChangePassword: true` leaves the person with INITIAL_PASSWORD and the
 * change still pending.
 */
export async function createUser(
  role: Role,
  opts: { email?: string; name?: string; mustChangePassword?: boolean } = {},
): Promise<CreatedUser> {
  const api = await adminApi();
  const email = opts.email ?? `${unique(role)}@e2e.test`;
  const name = opts.name ?? `E2E ${role} ${email.split("@")[0]}`;
  const res = await api.post("/api/v1/users", { data: { email, name, role, password: INITIAL_PASSWORD } });
  expect(res.status(), await res.text()).toBe(201);
  const body = (await res.json()) as { id: string };
  await api.dispose();
  if (opts.mustChangePassword) return { id: body.id, email, name, role, password: INITIAL_PASSWORD };
  await changeInitialPassword(email);
  return { id: body.id, email, name, role, password: USER_PASSWORD };
}

/** Signs in with INITIAL_PASSWORD and changes it to USER_PASSWORD; that session is then dropped. */
export async function changeInitialPassword(email: string, from = INITIAL_PASSWORD, to = USER_PASSWORD) {
  const session = await signInApi(email, from);
  const res = await session.post("/api/v1/me/password", {
    data: { currentPassword: from, newPassword: to },
    // A cookie-authenticated mutation: our own Origin, as the browser would send.
    headers: { origin: CONSOLE_URL },
  });
  expect(res.status(), await res.text()).toBe(200);
  await session.dispose();
}

/**
 * Signs in through next-auth's credentials endpoint (what the sign-in form posts) and returns
 * the context holding the session cookie.
 */
export async function signInApi(email: string, password: string): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL: CONSOLE_URL });
  const csrf = await ctx.get("/api/auth/csrf");
  expect(csrf.status()).toBe(200);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await ctx.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, callbackUrl: CONSOLE_URL, json: "true" },
  });
  expect(res.status(), await res.text()).toBeLessThan(400);
  const me = await ctx.get("/api/v1/me");
  expect(me.status(), `signed in as ${email}: ${await me.text()}`).toBe(200);
  return ctx;
}
