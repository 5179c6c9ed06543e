import { mkdirSync } from "node:fs";
import { expect, test as setup } from "@playwright/test";
import { adminApi, changeInitialPassword, INITIAL_PASSWORD, signInApi } from "./support/api";
import { ADMIN, ROLE_USERS, ROLES, storageStateFor, USER_PASSWORD } from "./support/env";

// Signs in once per role and keeps each session in e2e/.auth/<role>.json for the UI projects.
// The admin comes from BOOTSTRAP_ADMIN_*; the others are created here through the API, with an
// admin-set password each then changes (as a person must at the first sign-in).

setup("sign in once per role", async () => {
  mkdirSync("e2e/.auth", { recursive: true });
  const api = await adminApi();
  for (const role of ROLES) {
    const who = ROLE_USERS[role];
    if (role !== "admin") {
      const res = await api.post("/api/v1/users", { data: { email: who.email, name: who.name, role, password: INITIAL_PASSWORD } });
      expect(res.status(), await res.text()).toBe(201);
      await changeInitialPassword(who.email);
    }
    const session = await signInApi(who.email, role === "admin" ? ADMIN.password : USER_PASSWORD);
    const me = (await (await session.get("/api/v1/me")).json()) as { role: string; email: string; mustChangePassword: boolean };
    expect(me).toMatchObject({ role, email: who.email, mustChangePassword: false });
    await session.storageState({ path: storageStateFor(role) });
    await session.dispose();
  }
  await api.dispose();
});
