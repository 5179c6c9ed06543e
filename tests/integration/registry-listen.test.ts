import { expect, it } from "vitest";
import { db } from "@/lib/db";
import "@/lib/reviews/handlers";
import { bumpGeneration } from "@/lib/registry/generation";
import { OFFICIAL_META } from "@/lib/registry/meta";
import { describeEngine, uid, useTestDatabase } from "../helpers/context";
import { usePublicServer } from "../helpers/public";
import { makeAgent } from "../helpers/agents";
import { bumpCimd } from "@/lib/cimd/data";

// On PostgreSQL another process's change reaches the snapshot through LISTEN/NOTIFY, not the
// poll: the poll here is a minute, so only the notification can make the change visible in time.

describeEngine("postgresql", "change notifications: registry and hosted documents [postgresql]", () => {
  const ctx = useTestDatabase("postgresql");
  const api = usePublicServer(60_000);

  it("a change committed elsewhere is served within a second, without waiting for the poll", async () => {
    const name = `io.example${uid()}/notify`;
    const server = await db().server.create({ data: { name, createdById: ctx.users.publisher.id } });
    // warm the snapshot, and give the listener its connection
    expect((await api.get(`/v0.1/servers/${encodeURIComponent(name)}/versions/latest`)).status).toBe(404);
    await new Promise((r) => setTimeout(r, 300));
    // Written straight to the database, as another replica would: no in-process hook fires.
    await db().$transaction(async (tx) => {
      await tx.serverVersion.create({
        data: { serverId: server.id, version: "1.0.0", document: { name, description: "x", version: "1.0.0" }, description: "x", warnings: [], state: "approved", isLatest: true, publishedAt: new Date(), submittedById: ctx.users.publisher.id },
      });
      await bumpGeneration(tx);
    });
    const deadline = Date.now() + 1000;
    let res = await api.get(`/v0.1/servers/${encodeURIComponent(name)}/versions/latest`);
    while (res.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      res = await api.get(`/v0.1/servers/${encodeURIComponent(name)}/versions/latest`);
    }
    expect(res.status).toBe(200);
    expect(res.body._meta[OFFICIAL_META]).toMatchObject({ status: "active", isLatest: true });
  });

  it("an agent revoked elsewhere stops being served within a second (its own channel)", async () => {
    const a = await makeAgent(ctx, { publish: true });
    expect((await api.get(`/oauth/clients/${a.slug}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    await db().$transaction(async (tx) => {
      await tx.agent.update({ where: { id: a.id }, data: { status: "revoked", revokedAt: new Date() } });
      await bumpCimd(tx);
    });
    const deadline = Date.now() + 1000;
    let res = await api.get(`/oauth/clients/${a.slug}`);
    while (res.status !== 404 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      res = await api.get(`/oauth/clients/${a.slug}`);
    }
    expect(res.status).toBe(404);
  });
});
