-- SQLite only. Prisma migrates `seq BigInt @id @default(autoincrement())` to
-- "seq" BIGINT PRIMARY KEY, which SQLite does not number: only a column declared exactly
-- INTEGER PRIMARY KEY aliases the rowid (prisma/orm#13178, #20449), so every audit insert failed
-- with a null constraint violation on `seq`. INTEGER is 64-bit in SQLite, so Prisma's BigInt
-- still fits; AUTOINCREMENT keeps seq from being reused, like PostgreSQL's sequence.
-- RedefineTables
CREATE TABLE "new_AuditEvent" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "id" TEXT NOT NULL,
    "stream" TEXT NOT NULL,
    "sourceEventId" TEXT,
    "time" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "actorLabel" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "targetLabel" TEXT,
    "before" JSONB,
    "after" JSONB,
    "data" JSONB,
    "chainSeq" BIGINT,
    "prevHash" TEXT,
    "hash" TEXT,
    "sealedAt" DATETIME
);
INSERT INTO "new_AuditEvent" ("seq", "id", "stream", "sourceEventId", "time", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "targetLabel", "before", "after", "data", "chainSeq", "prevHash", "hash", "sealedAt")
SELECT "seq", "id", "stream", "sourceEventId", "time", "actorType", "actorId", "actorLabel", "action", "targetType", "targetId", "targetLabel", "before", "after", "data", "chainSeq", "prevHash", "hash", "sealedAt" FROM "AuditEvent";
DROP TABLE "AuditEvent";
ALTER TABLE "new_AuditEvent" RENAME TO "AuditEvent";
CREATE UNIQUE INDEX "AuditEvent_id_key" ON "AuditEvent"("id");
CREATE INDEX "AuditEvent_time_idx" ON "AuditEvent"("time");
CREATE INDEX "AuditEvent_actorId_time_idx" ON "AuditEvent"("actorId", "time");
CREATE INDEX "AuditEvent_targetType_targetId_time_idx" ON "AuditEvent"("targetType", "targetId", "time");
CREATE INDEX "AuditEvent_sealedAt_seq_idx" ON "AuditEvent"("sealedAt", "seq");
CREATE UNIQUE INDEX "AuditEvent_stream_sourceEventId_key" ON "AuditEvent"("stream", "sourceEventId");
CREATE UNIQUE INDEX "AuditEvent_stream_chainSeq_key" ON "AuditEvent"("stream", "chainSeq");
