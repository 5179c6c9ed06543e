-- AlterTable
ALTER TABLE "ServerVersion" ADD COLUMN "driftSince" DATETIME;
ALTER TABLE "ServerVersion" ADD COLUMN "driftSnapshotId" TEXT;
ALTER TABLE "ServerVersion" ADD COLUMN "lastCheckError" TEXT;
ALTER TABLE "ServerVersion" ADD COLUMN "lastCheckedAt" DATETIME;
ALTER TABLE "ServerVersion" ADD COLUMN "latestSnapshotId" TEXT;
ALTER TABLE "ServerVersion" ADD COLUMN "pinnedSnapshotId" TEXT;

-- CreateTable
CREATE TABLE "ToolSnapshot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "serverId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "errorCode" TEXT,
    "error" TEXT,
    "remoteUrl" TEXT NOT NULL,
    "transport" TEXT NOT NULL,
    "era" TEXT,
    "protocolVersion" TEXT,
    "hash" TEXT,
    "canonical" TEXT,
    "itemHashes" JSONB,
    "toolCount" INTEGER NOT NULL DEFAULT 0,
    "promptCount" INTEGER NOT NULL DEFAULT 0,
    "resourceCount" INTEGER NOT NULL DEFAULT 0,
    "templateCount" INTEGER NOT NULL DEFAULT 0,
    "findings" JSONB,
    "findingCount" INTEGER NOT NULL DEFAULT 0,
    "scopes" JSONB,
    "diff" JSONB,
    "drifted" BOOLEAN NOT NULL DEFAULT false,
    "trigger" TEXT NOT NULL,
    "takenById" TEXT,
    "durationMs" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ToolSnapshot_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ToolSnapshot_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ServerVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ServerToolScope" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "serverId" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "updatedById" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ServerToolScope_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FindingAck" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "serverId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "item" TEXT,
    "comment" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "FindingAck_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SnapshotCredential" (
    "serverId" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "updatedById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "SnapshotCredential_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ToolSnapshot_versionId_createdAt_idx" ON "ToolSnapshot"("versionId", "createdAt");

-- CreateIndex
CREATE INDEX "ToolSnapshot_serverId_createdAt_idx" ON "ToolSnapshot"("serverId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ServerToolScope_serverId_tool_key" ON "ServerToolScope"("serverId", "tool");

-- CreateIndex
CREATE UNIQUE INDEX "FindingAck_serverId_key_key" ON "FindingAck"("serverId", "key");

-- CreateIndex
CREATE INDEX "ServerVersion_driftSince_idx" ON "ServerVersion"("driftSince");

-- CreateIndex
CREATE INDEX "ServerVersion_lastCheckedAt_idx" ON "ServerVersion"("lastCheckedAt");
