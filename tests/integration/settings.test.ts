import { expect, it } from "vitest";
import { db } from "@/lib/db";
import { getSettings } from "@/lib/settings/data";
import { SETTING_DEFAULTS } from "@/lib/settings/schema";
import * as settingsRoute from "@/app/api/v1/settings/route";
import { ROLES } from "../helpers/constants";
import { counts, describeEngines, useTestDatabase } from "../helpers/context";
import { breakAuditInserts } from "../helpers/database";
import { apiError, call, session, token, type Auth, type Handler } from "../helpers/http";
import { route } from "../helpers/routes";

// GET/PATCH /api/v1/settings: settings.manage only; a partial, strict body checked field by field
// and then across fields on the merged values; only changed keys written, with one audited
// `settings.update` (before/after of those keys), all in one transaction.

describeEngines("settings", (engine) => {
  const ctx = useTestDatabase(engine);
  const admin = () => token(ctx.users.admin);
  const get = (auth: Auth = admin()) => call(settingsRoute.GET as Handler, "GET", "/api/v1/settings", { auth });
  const patch = (json: unknown, auth: Auth = admin()) => call(settingsRoute.PATCH as Handler, "PATCH", "/api/v1/settings", { auth, json });
  const stored = async () => (await db().setting.findMany({ where: { key: { startsWith: "settings." } }, orderBy: { key: "asc" } })).map((r) => [r.key, r.value]);
  const reset = () => db().setting.deleteMany({ where: { key: { startsWith: "settings." } } });

  it("GET shows every setting in force and the defaults", async () => {
    await reset();
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toEqual({ settings: SETTING_DEFAULTS, defaults: SETTING_DEFAULTS });
    expect((await get(session(ctx.users.admin))).status).toBe(200);
  });

  it.each(ROLES.filter((r) => r !== "admin").flatMap((role) => (["token", "session"] as const).map((via) => ({ role, via }))))(
    "a $role (via $via) may neither read nor change settings (403, nothing written)",
    async ({ role, via }) => {
      const auth = via === "token" ? token(ctx.users[role]) : session(ctx.users[role]);
      const before = await counts();
      for (const res of [await get(auth), await patch({ lockoutFailures: 3 }, auth)]) {
        expect(res.status).toBe(403);
        expect(res.body).toEqual(apiError("forbidden", "This needs the settings.manage permission"));
      }
      expect(await counts()).toEqual(before);
    },
  );

  it("PATCH writes only the changed keys, audits their before and after, and answers like GET", async () => {
    await reset();
    const before = await counts();
    const res = await patch({ tokenMaxLifetimeDays: 180, lockoutFailures: 5, driftAction: "withdraw" });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const expected = { ...SETTING_DEFAULTS, tokenMaxLifetimeDays: 180, driftAction: "withdraw" };
    expect(res.body).toEqual({ settings: expected, defaults: SETTING_DEFAULTS });
    expect(await getSettings()).toEqual(expected);
    // lockoutFailures was sent with its current value: not written, not audited
    expect(await stored()).toEqual([
      ["settings.driftAction", "withdraw"],
      ["settings.tokenMaxLifetimeDays", 180],
    ]);
    // and the registry's change signal moved (counts() leaves signals out): whether drifted
    // versions are served depends on driftAction
    expect(await counts()).toEqual({ ...before, settings: before.settings + 2, auditEvents: before.auditEvents + 1 });
    expect(await db().setting.count({ where: { key: "registry.generation" } })).toBe(1);
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: "settings.update" }, orderBy: { seq: "desc" } });
    expect(event).toMatchObject({ actorId: ctx.users.admin.id, targetType: "settings", targetId: "settings" });
    expect(event.before).toEqual({ tokenMaxLifetimeDays: 365, driftAction: "flag" });
    expect(event.after).toEqual({ tokenMaxLifetimeDays: 180, driftAction: "withdraw" });
    expect((await get()).body.settings).toEqual(expected);

    // a second change updates the row in place
    expect((await patch({ tokenMaxLifetimeDays: 200 })).body.settings.tokenMaxLifetimeDays).toBe(200);
    expect(await db().setting.count({ where: { key: "settings.tokenMaxLifetimeDays" } })).toBe(1);
    // sending only current values changes nothing and writes no event
    const unchanged = await counts();
    expect((await patch({ tokenMaxLifetimeDays: 200, driftAction: "withdraw" })).status).toBe(200);
    expect(await counts()).toEqual(unchanged);
  });

  it.each([
    [{ tokenMaxLifetimeDays: 0 }, "tokenMaxLifetimeDays", "must be at least 1"],
    [{ tokenMaxLifetimeDays: 3651 }, "tokenMaxLifetimeDays", "must be at most 3650"],
    [{ lockoutFailures: 2.5 }, "lockoutFailures", expect.any(String)],
    [{ lockoutWindowMinutes: "15" }, "lockoutWindowMinutes", expect.any(String)],
    [{ sessionMaxAgeHours: null }, "sessionMaxAgeHours", expect.any(String)],
    [{ driftAction: "explode" }, "driftAction", expect.any(String)],
    [{ noSuchSetting: 1 }, "noSuchSetting", "is not a known field"],
  ])("a bad value is a 422 naming the field and changes nothing (%#)", async (json, field, message) => {
    await reset();
    const before = await counts();
    const res = await patch(json);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.details).toEqual(expect.arrayContaining([{ field, message }]));
    expect(await counts()).toEqual(before);
    expect(await getSettings()).toEqual(SETTING_DEFAULTS);
  });

  it("an empty body is a 422", async () => {
    const res = await patch({});
    expect(res.status).toBe(422);
    expect(res.body).toEqual(apiError("validation_failed", "Invalid (body)", [{ field: "(body)", message: "send at least one setting" }]));
  });

  it("rules across settings are checked on the merged values (422 naming the field)", async () => {
    await reset();
    // alone, a maximum below the default in force is refused
    expect((await patch({ tokenMaxLifetimeDays: 30 })).body.error.details).toEqual([
      { field: "tokenDefaultLifetimeDays", message: "must not exceed tokenMaxLifetimeDays" },
    ]);
    expect((await patch({ tokenMaxLifetimeDays: 30, tokenDefaultLifetimeDays: 20 })).status).toBe(200);
    const before = await counts();
    // the default alone is within its range, but above the maximum already stored
    const res = await patch({ tokenDefaultLifetimeDays: 60 });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(
      apiError("validation_failed", "Invalid tokenDefaultLifetimeDays", [{ field: "tokenDefaultLifetimeDays", message: "must not exceed tokenMaxLifetimeDays" }]),
    );
    const both = await patch({ lockoutFailures: 20, lockoutAccountFailures: 10 });
    expect(both.body).toEqual(
      apiError("validation_failed", "Invalid lockoutAccountFailures", [{ field: "lockoutAccountFailures", message: "must be at least lockoutFailures" }]),
    );
    expect(await counts()).toEqual(before);
    // together they are fine
    expect((await patch({ tokenDefaultLifetimeDays: 60, tokenMaxLifetimeDays: 90 })).status).toBe(200);
    expect(await getSettings()).toMatchObject({ tokenDefaultLifetimeDays: 60, tokenMaxLifetimeDays: 90 });
  });

  it("two admins changing related settings at once cannot together break a cross-field rule", async () => {
    // Each change is valid against the stored values; both together are not (default > maximum).
    for (let round = 0; round < 5; round++) {
      await reset();
      expect((await patch({ tokenDefaultLifetimeDays: 20 })).status).toBe(200);
      const results = await Promise.all([patch({ tokenMaxLifetimeDays: 30 }), patch({ tokenDefaultLifetimeDays: 60 })]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
      const s = await getSettings();
      expect(s.tokenDefaultLifetimeDays).toBeLessThanOrEqual(s.tokenMaxLifetimeDays);
    }
  });

  it("settings take effect at once: a lower maximum lifetime refuses longer tokens", async () => {
    await reset();
    expect((await patch({ tokenMaxLifetimeDays: 30, tokenDefaultLifetimeDays: 7 })).status).toBe(200);
    const res = await call(route("POST", "/api/v1/tokens"), "POST", "/api/v1/tokens", { auth: admin(), json: { name: "long", expiresInDays: 31 } });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ field: "expiresInDays", message: "must be at most 30 (the maximum token lifetime)" }]);
    await reset();
  });

  it("a change whose audit event cannot be written is not kept", async () => {
    await reset();
    const before = await counts();
    const restore = await breakAuditInserts(ctx.url);
    try {
      const res = await patch({ auditRetentionDays: 400 });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.body.error.code).toEqual(expect.any(String));
    } finally {
      await restore();
    }
    expect(await counts()).toEqual(before);
    expect(await getSettings()).toEqual(SETTING_DEFAULTS);
  });
});
