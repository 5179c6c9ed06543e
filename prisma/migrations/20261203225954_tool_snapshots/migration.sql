-- AlterTable
ALTER TABLE "ServerVersion" ADD COLUMN     "driftSince" TIMESTAMP(3),
ADD COLUMN     "driftSnapshotId" TEXT,
ADD COLUMN     "lastCheckError" TEXT,
ADD COLUMN     "lastCheckedAt" TIMESTAMP(3),
ADD COLUMN     "latestSnapshotId" TEXT,
ADD COLUMN     "pinnedSnapshotId" TEXT;

-- CreateTable
CREATE TABLE "ToolSnapshot" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ToolSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServerToolScope" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "tool" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "updatedById" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServerToolScope_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FindingAck" (
    "id" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "item" TEXT,
    "comment" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FindingAck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SnapshotCredential" (
    "serverId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "updatedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SnapshotCredential_pkey" PRIMARY KEY ("serverId")
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

-- AddForeignKey
ALTER TABLE "ToolSnapshot" ADD CONSTRAINT "ToolSnapshot_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ToolSnapshot" ADD CONSTRAINT "ToolSnapshot_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ServerVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServerToolScope" ADD CONSTRAINT "ServerToolScope_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FindingAck" ADD CONSTRAINT "FindingAck_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SnapshotCredential" ADD CONSTRAINT "SnapshotCredential_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "Server"("id") ON DELETE CASCADE ON UPDATE CASCADE;
